package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sessionRoutes registers sign-in, refresh and sign-out.
func (s *Server) sessionRoutes(g *echo.Group) {
	g.POST("/sessions", s.login)
	g.POST("/sessions/refresh", s.refresh)
	g.GET("/sessions/current", s.currentSession, s.authenticate)
	g.DELETE("/sessions/current", s.logout, s.authenticate)
}

type loginRequest struct {
	Email   string `json:"email"`
	AuthKey string `json:"authKey"`
}

type grantResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"` // seconds
	WrappedKey   string `json:"wrappedKey,omitempty"`
}

func toGrantResponse(g Grant) grantResponse {
	r := grantResponse{AccessToken: g.AccessToken, RefreshToken: g.RefreshToken, ExpiresIn: int(g.ExpiresIn.Seconds())}
	if g.WrappedKey != nil {
		r.WrappedKey = encodeBytes(g.WrappedKey)
	}
	return r
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	authKey, err := decodeBytes("authKey", req.AuthKey)
	if err != nil {
		return err
	}
	g, err := s.service.Login(c.Request().Context(), req.Email, authKey, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toGrantResponse(g))
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

func (s *Server) refresh(c echo.Context) error {
	var req refreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return Errorf(CodeInvalid, `field "refreshToken" is required`)
	}
	g, err := s.service.Refresh(c.Request().Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toGrantResponse(g))
}

type sessionResponse struct {
	AccountID string `json:"accountId"`
}

// currentSession answers whether the access token is good, doing nothing
// beyond the authenticate middleware: it is also the ceiling the load
// benchmark compares the record endpoints with.
func (s *Server) currentSession(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionResponse{AccountID: ref.AccountID})
}

func (s *Server) logout(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	if err := s.service.Logout(c.Request().Context(), ref); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
