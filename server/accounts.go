package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// accountRoutes registers the published KDF parameters, prelogin, sign-up,
// usage, password change and deletion.
func (s *Server) accountRoutes(g *echo.Group) {
	g.GET("/kdf", s.kdfParams)
	g.POST("/prelogin", s.prelogin)
	g.POST("/accounts", s.createAccount)
	g.GET("/account", s.accountUsage, s.authenticate)
	g.POST("/account/password", s.changePassword, s.authenticate)
	g.DELETE("/accounts/current", s.deleteAccount, s.authenticate)
}

// kdfParamsJSON is the wire form of the published KDF parameters.
type kdfParamsJSON struct {
	Alg         string `json:"alg"`
	MemoryKiB   int    `json:"memoryKiB"`
	Iterations  int    `json:"iterations"`
	Parallelism int    `json:"parallelism"`
	SaltBytes   int    `json:"saltBytes"`
}

type kdfParamsResponse struct {
	KDF kdfParamsJSON `json:"kdf"`
}

// kdfParams publishes the KDF parameters sign-up and password change must
// use.
func (s *Server) kdfParams(c echo.Context) error {
	return c.JSON(http.StatusOK, kdfParamsResponse{KDF: kdfParamsJSON{
		Alg: KDFAlg, MemoryKiB: KDFMemoryKiB, Iterations: KDFIterations, Parallelism: KDFParallelism, SaltBytes: KDFSaltSize,
	}})
}

type preloginRequest struct {
	Email string `json:"email"`
}

type preloginResponse struct {
	KDF kdfJSON `json:"kdf"`
}

func (s *Server) prelogin(c echo.Context) error {
	var req preloginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	kdf, err := s.service.Prelogin(c.Request().Context(), req.Email)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, preloginResponse{KDF: toKDFJSON(kdf)})
}

type createAccountRequest struct {
	Email      string   `json:"email"`
	AuthKey    string   `json:"authKey"`
	KDF        *kdfJSON `json:"kdf"`
	WrappedKey string   `json:"wrappedKey"`
}

type createAccountResponse struct {
	AccountID string `json:"accountId"`
}

func (s *Server) createAccount(c echo.Context) error {
	var req createAccountRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	n := NewAccount{Email: req.Email}
	var err error
	if n.AuthKey, err = decodeBytes("authKey", req.AuthKey); err != nil {
		return err
	}
	if n.KDF, err = req.KDF.toKDF("kdf"); err != nil {
		return err
	}
	if n.WrappedKey, err = decodeBytes("wrappedKey", req.WrappedKey); err != nil {
		return err
	}
	id, err := s.service.CreateAccount(c.Request().Context(), n, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createAccountResponse{AccountID: id})
}

// usageJSON is the wire form of Usage and of Quota.
type usageJSON struct {
	Records int   `json:"records"`
	Bytes   int64 `json:"bytes"`
}

type accountResponse struct {
	AccountID string    `json:"accountId"`
	Usage     usageJSON `json:"usage"`
	Quota     usageJSON `json:"quota"`
}

// accountUsage says what the caller's records take and what they may.
func (s *Server) accountUsage(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	u, q, err := s.service.Usage(c.Request().Context(), ref)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, accountResponse{AccountID: ref.AccountID,
		Usage: usageJSON{Records: u.Records, Bytes: u.Bytes}, Quota: usageJSON{Records: q.Records, Bytes: q.Bytes}})
}

type changePasswordRequest struct {
	AuthKey       string   `json:"authKey"`
	NewAuthKey    string   `json:"newAuthKey"`
	NewKDF        *kdfJSON `json:"newKdf"`
	NewWrappedKey string   `json:"newWrappedKey"`
}

func (s *Server) changePassword(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	var req changePasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var p PasswordChange
	if p.AuthKey, err = decodeBytes("authKey", req.AuthKey); err != nil {
		return err
	}
	if p.NewAuthKey, err = decodeBytes("newAuthKey", req.NewAuthKey); err != nil {
		return err
	}
	if p.NewKDF, err = req.NewKDF.toKDF("newKdf"); err != nil {
		return err
	}
	if p.NewWrappedKey, err = decodeBytes("newWrappedKey", req.NewWrappedKey); err != nil {
		return err
	}
	g, err := s.service.ChangePassword(c.Request().Context(), ref, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toGrantResponse(g))
}

type deleteAccountRequest struct {
	AuthKey string `json:"authKey"`
}

func (s *Server) deleteAccount(c echo.Context) error {
	ref, err := sessionOf(c)
	if err != nil {
		return err
	}
	var req deleteAccountRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	authKey, err := decodeBytes("authKey", req.AuthKey)
	if err != nil {
		return err
	}
	if err := s.service.DeleteAccount(c.Request().Context(), ref, authKey); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
