# Thin entry points; the work is in scripts/.
.PHONY: run build test bench clean

run:
	@scripts/run

build:
	@scripts/build

test:
	@scripts/test

bench:
	@scripts/bench

clean:
	rm -rf bin dist
