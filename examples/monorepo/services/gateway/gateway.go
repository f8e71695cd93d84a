package main

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/logx"
)

//go:embed static
var staticFiles embed.FS

// Route maps a service name to its upstream base URL.
type Route struct {
	Service  string `json:"service"`
	Upstream string `json:"upstream"`
}

type gateway struct {
	upstreams map[string]*url.URL
	proxies   map[string]*httputil.ReverseProxy
}

func newGateway(upstreams map[string]string) (*gateway, error) {
	g := &gateway{upstreams: map[string]*url.URL{}, proxies: map[string]*httputil.ReverseProxy{}}
	for name, raw := range upstreams {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("upstream %s: invalid URL %q", name, raw)
		}
		g.upstreams[name] = u
		g.proxies[name] = &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(u)
				pr.SetXForwarded()
				pr.Out.Header.Set(httpx.RequestIDHeader, pr.In.Header.Get(httpx.RequestIDHeader))
			},
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				logx.FromContext(r.Context()).Warn("upstream error", "service", name, logx.Err(err))
				httpx.WriteError(w, http.StatusBadGateway, name+" is unavailable")
			},
		}
	}
	return g, nil
}

func (g *gateway) routeTable() []Route {
	out := make([]Route, 0, len(g.upstreams))
	for _, name := range slices.Sorted(maps.Keys(g.upstreams)) {
		out = append(out, Route{Service: name, Upstream: g.upstreams[name].String()})
	}
	return out
}

func (g *gateway) routes() http.Handler {
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Health("gateway", version))
	mux.HandleFunc("GET /api/{$}", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, g.routeTable())
	})
	mux.HandleFunc("/api/{service}/{rest...}", g.proxy)
	mux.Handle("/", http.FileServerFS(static))
	return mux
}

// proxy forwards /api/<service>/<rest> to <upstream>/<rest>.
func (g *gateway) proxy(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("service")
	p, ok := g.proxies[name]
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "unknown service "+name)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + r.PathValue("rest")
	r2.URL.RawPath = ""
	p.ServeHTTP(w, r2)
}
