package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRegisterAndFind(t *testing.T) {
	srv := httptest.NewServer(newDirectory().routes())
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/users", "application/json", strings.NewReader(`{"email":"wile@acme.test","name":"Wile E."}`))
	if err != nil {
		t.Fatal(err)
	}
	var u User
	err = json.NewDecoder(resp.Body).Decode(&u)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %v", resp.StatusCode, err)
	}

	resp, err = http.Post(srv.URL+"/users", "application/json", strings.NewReader(`{"email":"WILE@acme.test"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("duplicate register: %d, want 409", resp.StatusCode)
	}

	for path, want := range map[string]int{
		"/users/" + u.ID:                http.StatusOK,
		"/users?email=wile@acme.test":   http.StatusOK,
		"/users?email=road@runner.test": http.StatusNotFound,
		"/users/usr_garbage":            http.StatusBadRequest,
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}
