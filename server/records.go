package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// recordRoutes registers sync and the conditional record writes.
// authenticate is attached to each route, not to a group: echo gives a group
// with middleware catch-all routes, which would turn a wrong method into 404
// and an unknown path into 401 after a store lookup. echo also lets a final
// :id take the rest of the path, slashes included, so /records/a/b is routed
// to a 404 explicitly.
func (s *Server) recordRoutes(g *echo.Group) {
	g.GET("/records", s.listRecords, s.authenticateToken) // the sync read checks the session itself
	g.PUT("/records/:id", s.putRecord, s.authenticate)
	g.DELETE("/records/:id", s.deleteRecord, s.authenticate)
	g.RouteNotFound("/records/:id/*", func(echo.Context) error { return echo.ErrNotFound })
}

// listRecords answers a sync read. Its session is known from the token
// alone; Service.Records checks it is live in the store's read of the page.
func (s *Server) listRecords(c echo.Context) error {
	ref, err := tokenOf(c)
	if err != nil {
		return err
	}
	var since int64
	if v := c.QueryParam("since"); v != "" {
		if since, err = strconv.ParseInt(v, 10, 64); err != nil || since < 0 {
			return Errorf(CodeInvalid, "since must be a cursor from an earlier response")
		}
	}
	var limit int
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return Errorf(CodeInvalid, "limit must be between 1 and %d", MaxPageRecords)
		}
	}
	page, err := s.service.Records(c.Request().Context(), ref, since, limit)
	if err != nil {
		return err
	}
	return writeRecordsPage(c.Response(), page)
}

type putRecordRequest struct {
	Data string `json:"data"`
}

type writeResponse struct {
	ID  string `json:"id"`
	Rev int64  `json:"rev"`
}

func (s *Server) putRecord(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	w, err := precondition(c.Request().Header, true)
	if err != nil {
		return err
	}
	var req putRecordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if w.Data, err = decodeBytes("data", req.Data); err != nil {
		return err
	}
	w.ID = c.Param("id")
	rec, err := s.service.WriteRecord(c.Request().Context(), ref, w)
	if err != nil {
		return err
	}
	c.Response().Header().Set(headerETag, etag(rec.Rev))
	status := http.StatusOK
	if w.Create {
		status = http.StatusCreated
	}
	return c.JSON(status, writeResponse{ID: rec.ID, Rev: rec.Rev})
}

func (s *Server) deleteRecord(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	w, err := precondition(c.Request().Header, false)
	if err != nil {
		return err
	}
	w.ID, w.Delete = c.Param("id"), true
	rec, err := s.service.WriteRecord(c.Request().Context(), ref, w)
	if err != nil {
		return err
	}
	c.Response().Header().Set(headerETag, etag(rec.Rev))
	return c.NoContent(http.StatusNoContent)
}

// precondition reads If-Match: "<rev>" or, when create is allowed,
// If-None-Match: *. A write without either is refused (428): a client that
// does not say which revision it changed could overwrite a change it never
// saw.
func precondition(h http.Header, create bool) (RecordWrite, error) {
	match, noneMatch := h.Values(headerIfMatch), h.Values(headerIfNoneMatch)
	switch {
	case len(match) == 0 && len(noneMatch) == 0:
		if create {
			return RecordWrite{}, Errorf(CodePreconditionRequired, `send If-Match: "<rev>" to update, or If-None-Match: * to create`)
		}
		return RecordWrite{}, Errorf(CodePreconditionRequired, `send If-Match: "<rev>" to delete`)
	case len(match) > 0 && len(noneMatch) > 0:
		return RecordWrite{}, Errorf(CodeInvalid, "send If-Match or If-None-Match, not both")
	case len(noneMatch) > 0:
		if !create {
			return RecordWrite{}, Errorf(CodeInvalid, `a delete takes If-Match: "<rev>"`)
		}
		if len(noneMatch) != 1 || strings.TrimSpace(noneMatch[0]) != "*" {
			return RecordWrite{}, Errorf(CodeInvalid, "If-None-Match must be *")
		}
		return RecordWrite{Create: true}, nil
	}
	rev, ok := parseETag(match)
	if !ok {
		return RecordWrite{}, Errorf(CodeInvalid, `If-Match must be one revision in quotes, like "3"`)
	}
	return RecordWrite{IfMatch: rev}, nil
}

func parseETag(values []string) (int64, bool) {
	if len(values) != 1 {
		return 0, false
	}
	v := strings.TrimSpace(values[0])
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		return 0, false
	}
	digits := v[1 : len(v)-1]
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	rev, err := strconv.ParseInt(digits, 10, 64)
	return rev, err == nil && rev > 0
}
