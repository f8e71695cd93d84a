package main

import (
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/ids"
)

// User is a registered account.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

type directory struct {
	mu      sync.Mutex
	byID    map[string]User
	byEmail map[string]string // lower-case email → id
}

func newDirectory() *directory {
	return &directory{byID: map[string]User{}, byEmail: map[string]string{}}
}

func (d *directory) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Health("users", version))
	mux.HandleFunc("POST /users", d.register)
	mux.HandleFunc("GET /users/{id}", d.get)
	mux.HandleFunc("GET /users", d.find)
	return mux
}

func (d *directory) register(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		httpx.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	addr, err := mail.ParseAddress(req.Email)
	if err != nil || addr.Address != req.Email {
		httpx.WriteError(w, http.StatusBadRequest, "invalid email address")
		return
	}
	key := strings.ToLower(addr.Address)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.byEmail[key]; dup {
		httpx.WriteError(w, http.StatusConflict, "email already registered")
		return
	}
	u := User{ID: ids.New("usr"), Email: addr.Address, Name: strings.TrimSpace(req.Name), CreatedAt: time.Now().UTC()}
	d.byID[u.ID] = u
	d.byEmail[key] = u.ID
	httpx.WriteJSON(w, http.StatusCreated, u)
}

func (d *directory) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !ids.Valid(id, "usr") {
		httpx.WriteError(w, http.StatusBadRequest, "malformed user id")
		return
	}
	d.mu.Lock()
	u, ok := d.byID[id]
	d.mu.Unlock()
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such user")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}

func (d *directory) find(w http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(r.URL.Query().Get("email"))
	if email == "" {
		httpx.WriteError(w, http.StatusBadRequest, "query parameter email is required")
		return
	}
	d.mu.Lock()
	u, ok := d.byID[d.byEmail[email]]
	d.mu.Unlock()
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such user")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, u)
}
