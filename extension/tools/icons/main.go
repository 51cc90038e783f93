// Command icons draws the extension's toolbar icons: a blue (#1f4e9c) shield
// with a white check mark on a white rounded square, anti-aliased by
// supersampling, written as PNGs at 16, 32, 48 and 128 px into
// extension/icons/. Run from the repository root:
//
//	go run ./extension/tools/icons
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

var (
	blue  = color.NRGBA{0x1f, 0x4e, 0x9c, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	edge  = color.NRGBA{0xd0, 0xd7, 0xde, 0xff}
)

// shade is the colour at (x, y) in a unit square (0..1), or transparent.
func shade(x, y float64) color.NRGBA {
	// Shield: flat top with rounded corners, straight sides to y=0.52, then
	// two arcs meeting in a point at the bottom.
	if inShield(x, y) {
		if onCheck(x, y) {
			return white
		}
		return blue
	}
	if inRoundedSquare(x, y, 0.22) {
		if !insetRoundedSquare(x, y, 0.03, 0.2) {
			return edge // a thin grey rim, so the white square shows on a white toolbar
		}
		return white
	}
	return color.NRGBA{}
}

func inRoundedSquare(x, y, r float64) bool {
	return insetRoundedSquare(x, y, 0, r)
}

func insetRoundedSquare(x, y, inset, r float64) bool {
	lo, hi := inset, 1-inset
	if x < lo || x > hi || y < lo || y > hi {
		return false
	}
	cx := math.Max(lo+r, math.Min(hi-r, x))
	cy := math.Max(lo+r, math.Min(hi-r, y))
	return math.Hypot(x-cx, y-cy) <= r
}

func inShield(x, y float64) bool {
	const left, right, top, waist, bottom = 0.2, 0.8, 0.14, 0.5, 0.88
	if y < top || y > bottom || x < left || x > right {
		return false
	}
	// Rounded top corners.
	const r = 0.08
	if y < top+r {
		cx := math.Max(left+r, math.Min(right-r, x))
		if math.Hypot(x-cx, y-(top+r)) > r {
			return false
		}
	}
	if y <= waist {
		return true
	}
	// Below the waist the half-width shrinks to 0 along a curve.
	t := (y - waist) / (bottom - waist)
	half := (right - left) / 2 * math.Sqrt(1-t*t)
	return math.Abs(x-0.5) <= half
}

// onCheck is the check mark: two thick strokes.
func onCheck(x, y float64) bool {
	const w = 0.055
	return segDist(x, y, 0.33, 0.47, 0.46, 0.61) <= w || segDist(x, y, 0.46, 0.61, 0.69, 0.34) <= w
}

func segDist(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

func draw(size int) *image.NRGBA {
	const ss = 8 // samples per axis
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					c := shade((float64(px)+(float64(sx)+0.5)/ss)/float64(size), (float64(py)+(float64(sy)+0.5)/ss)/float64(size))
					al := float64(c.A) / 255
					r += float64(c.R) * al
					g += float64(c.G) * al
					b += float64(c.B) * al
					a += al
				}
			}
			n := float64(ss * ss)
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{uint8(r/a + 0.5), uint8(g/a + 0.5), uint8(b/a + 0.5), uint8(a/n*255 + 0.5)})
		}
	}
	return img
}

func main() {
	dir := filepath.Join("extension", "icons")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, size := range []int{16, 32, 48, 128} {
		path := filepath.Join(dir, fmt.Sprintf("icon-%d.png", size))
		f, err := os.Create(path)
		if err == nil {
			err = png.Encode(f, draw(size))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "icons:", err)
			os.Exit(1)
		}
		fmt.Println(path)
	}
}
