package fake

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// The discovery documents are copied verbatim from google.golang.org/api
// v0.310.0 (forms/v1, sheets/v4, gmail/v1). They drive routing, query
// parameter checks and request body validation, so the fake accepts exactly
// the shapes the official clients and Google's servers agree on.
//
//go:embed discovery/*.json
var discoveryFS embed.FS

// discoveryDoc is the part of a Google API discovery document the fake uses.
type discoveryDoc struct {
	Name       string                `json:"name"`
	Parameters map[string]*dParam    `json:"parameters"`
	Schemas    map[string]*dSchema   `json:"schemas"`
	Resources  map[string]*dResource `json:"resources"`
	Methods    map[string]*dMethod   `json:"methods"`
}

type dResource struct {
	Methods   map[string]*dMethod   `json:"methods"`
	Resources map[string]*dResource `json:"resources"`
}

type dMethod struct {
	ID          string             `json:"id"`
	HTTPMethod  string             `json:"httpMethod"`
	FlatPath    string             `json:"flatPath"`
	Path        string             `json:"path"`
	Parameters  map[string]*dParam `json:"parameters"`
	Request     *dSchema           `json:"request"`
	Response    *dSchema           `json:"response"`
	MediaUpload *struct {
		Protocols map[string]struct {
			Path string `json:"path"`
		} `json:"protocols"`
	} `json:"mediaUpload"`

	doc *discoveryDoc
}

type dParam struct {
	Type     string   `json:"type"`
	Format   string   `json:"format"`
	Location string   `json:"location"`
	Required bool     `json:"required"`
	Repeated bool     `json:"repeated"`
	Enum     []string `json:"enum"`
}

type dSchema struct {
	ID                   string              `json:"id"`
	Ref                  string              `json:"$ref"`
	Type                 string              `json:"type"`
	Format               string              `json:"format"`
	Enum                 []string            `json:"enum"`
	Properties           map[string]*dSchema `json:"properties"`
	Items                *dSchema            `json:"items"`
	AdditionalProperties *dSchema            `json:"additionalProperties"`
}

// route is one HTTP path of one discovery method.
type route struct {
	method  *dMethod
	verb    string
	re      *regexp.Regexp
	names   []string
	literal int // literal characters, for precedence
	upload  bool
}

var pathVar = regexp.MustCompile(`\{\+?([A-Za-z0-9_]+)\}`)

func compileRoute(m *dMethod, path string, upload bool) *route {
	path = strings.TrimPrefix(path, "/")
	rt := &route{method: m, verb: m.HTTPMethod, upload: upload}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range pathVar.FindAllStringSubmatchIndex(path, -1) {
		lit := path[last:loc[0]]
		rt.literal += len(lit)
		b.WriteString(regexp.QuoteMeta(lit))
		b.WriteString(`([^/]+)`)
		rt.names = append(rt.names, path[loc[2]:loc[3]])
		last = loc[1]
	}
	rt.literal += len(path[last:])
	b.WriteString(regexp.QuoteMeta(path[last:]))
	b.WriteString("$")
	rt.re = regexp.MustCompile(b.String())
	return rt
}

// discovery is loadDiscovery done once per process: the methods, schemas
// and routes are only read after loading, so every Server shares them
// (parsing the three documents costs about a second under the race
// detector, which every fake.New in a test suite paid again).
var discovery = sync.OnceValues(loadDiscovery)

// loadDiscovery parses the embedded documents into routes, longest literal
// first so that "values/{range}:append" wins over "values/{range}".
func loadDiscovery() (map[string]*dMethod, []*route) {
	methods := map[string]*dMethod{}
	var routes []*route
	for _, name := range []string{"forms-api.json", "sheets-api.json", "gmail-api.json"} {
		raw, err := discoveryFS.ReadFile("discovery/" + name)
		if err != nil {
			panic(err)
		}
		doc := &discoveryDoc{}
		if err := json.Unmarshal(raw, doc); err != nil {
			panic(fmt.Sprintf("fake: parse %s: %v", name, err))
		}
		var walk func(ms map[string]*dMethod, rs map[string]*dResource)
		walk = func(ms map[string]*dMethod, rs map[string]*dResource) {
			for _, m := range ms {
				m.doc = doc
				methods[m.ID] = m
				p := m.FlatPath
				if p == "" {
					p = m.Path
				}
				routes = append(routes, compileRoute(m, p, false))
				if m.MediaUpload != nil {
					for _, proto := range m.MediaUpload.Protocols {
						routes = append(routes, compileRoute(m, proto.Path, true))
					}
				}
			}
			for _, r := range rs {
				walk(r.Methods, r.Resources)
			}
		}
		walk(doc.Methods, doc.Resources)
	}
	sort.SliceStable(routes, func(i, j int) bool {
		if routes[i].literal != routes[j].literal {
			return routes[i].literal > routes[j].literal
		}
		return routes[i].method.ID < routes[j].method.ID
	})
	return methods, routes
}

// systemParams are the query parameters every Google API accepts.
var systemParams = map[string]bool{
	"$.xgafv": true, "access_token": true, "alt": true, "callback": true, "fields": true,
	"key": true, "oauth_token": true, "prettyPrint": true, "quotaUser": true,
	"uploadType": true, "upload_protocol": true, "userIp": true,
}

// checkQuery rejects unknown query parameters and malformed values the way
// Google's front end does.
func (m *dMethod) checkQuery(q map[string][]string) error {
	for name, vals := range q {
		p := m.Parameters[name]
		if p == nil {
			if systemParams[name] {
				p = m.doc.Parameters[name]
				if p == nil {
					continue
				}
			} else {
				return invalidArgument("Invalid JSON payload received. Unknown name %q: Cannot bind query parameter. Field '%s' could not be found in request message.", name, name)
			}
		}
		if p.Location == "path" {
			return invalidArgument("Invalid JSON payload received. Unknown name %q: Cannot bind query parameter.", name)
		}
		if len(vals) > 1 && !p.Repeated {
			return invalidArgument("Invalid value at '%s': parameter %q is not repeated but was given %d times", name, name, len(vals))
		}
		for _, v := range vals {
			if err := checkScalar(name, p.Type, p.Format, p.Enum, v, true); err != nil {
				return err
			}
		}
	}
	for name, p := range m.Parameters {
		if p.Location == "query" && p.Required {
			if _, ok := q[name]; !ok {
				return invalidArgument("Required parameter %q is missing", name)
			}
		}
	}
	return nil
}

// validateBody walks a JSON request body against the method's request
// schema: unknown fields, wrong types and values outside an enum are 400s.
func (m *dMethod) validateBody(body []byte) error {
	if m.Request == nil {
		return nil
	}
	if m.doc.scanValid(m.Request, body) {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return invalidArgument("Invalid JSON payload received. %s", jsonErrText(err))
	}
	if dec.More() {
		return invalidArgument("Invalid JSON payload received. Unexpected token after the request body.")
	}
	if m.doc.valid(m.Request, v) {
		return nil
	}
	return m.doc.validate(m.Request, v, "")
}

// valid reports whether validate would accept v, without building the
// paths its errors name: a large valid body (a commit of thousands of
// rows) costs a walk, not a path string per value. validate runs only
// for an invalid body, to say where.
func (d *discoveryDoc) valid(s *dSchema, v any) bool {
	s = d.resolve(s)
	if s == nil || v == nil {
		return true
	}
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for k, item := range obj {
			ps := s.AdditionalProperties
			if s.Properties != nil || ps == nil {
				if p := s.Properties[k]; p != nil {
					ps = p
				}
			}
			if ps == nil || !d.valid(ps, item) {
				return false
			}
		}
		return true
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return false
		}
		for _, item := range arr {
			if !d.valid(s.Items, item) {
				return false
			}
		}
		return true
	case "any", "":
		return true
	}
	return d.validate(s, v, "") == nil
}

func jsonErrText(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

func (d *discoveryDoc) resolve(s *dSchema) *dSchema {
	for s != nil && s.Ref != "" {
		s = d.Schemas[s.Ref]
	}
	return s
}

func joinPath(base, name string) string {
	if base == "" {
		return name
	}
	return base + "." + name
}

func (d *discoveryDoc) validate(s *dSchema, v any, at string) error {
	s = d.resolve(s)
	if s == nil || v == nil {
		return nil // JSON null is accepted for any field, as proto3 JSON does
	}
	where := at
	if where == "" {
		where = "(root)"
	}
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return invalidArgument("Invalid value at '%s', expected an object", where)
		}
		if s.AdditionalProperties != nil && s.Properties == nil {
			for k, item := range obj {
				if err := d.validate(s.AdditionalProperties, item, fmt.Sprintf("%s[%s]", at, k)); err != nil {
					return err
				}
			}
			return nil
		}
		for k, item := range obj {
			ps := s.Properties[k]
			if ps == nil {
				if s.AdditionalProperties != nil {
					ps = s.AdditionalProperties
				} else {
					loc := ""
					if at != "" {
						loc = fmt.Sprintf(" at '%s'", at)
					}
					return invalidArgument("Invalid JSON payload received. Unknown name %q%s: Cannot find field.", k, loc)
				}
			}
			if err := d.validate(ps, item, joinPath(at, k)); err != nil {
				return err
			}
		}
		return nil
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return invalidArgument("Invalid value at '%s', expected a list", where)
		}
		for i, item := range arr {
			if err := d.validate(s.Items, item, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	case "any", "":
		return nil
	}
	var text string
	fromString := false
	switch x := v.(type) {
	case string:
		text, fromString = x, true
	case json.Number:
		text = x.String()
	case bool:
		if s.Type != "boolean" {
			return invalidArgument("Invalid value at '%s' (%s), %v", where, typeName(s), x)
		}
		return nil
	default:
		return invalidArgument("Invalid value at '%s' (%s), expected a scalar", where, typeName(s))
	}
	return checkScalar(where, s.Type, s.Format, s.Enum, text, fromString)
}

func typeName(s *dSchema) string {
	if s.Format != "" {
		return "TYPE_" + strings.ToUpper(s.Format)
	}
	return "TYPE_" + strings.ToUpper(s.Type)
}

func checkScalar(where, typ, format string, enum []string, v string, fromString bool) error {
	bad := func() error {
		return invalidArgument("Invalid value at '%s' (%s), %q", where, typeName(&dSchema{Type: typ, Format: format}), v)
	}
	switch typ {
	case "string":
		if !fromString && format != "int64" && format != "uint64" {
			return bad()
		}
		if len(enum) > 0 {
			for _, e := range enum {
				if e == v {
					return nil
				}
			}
			return invalidArgument("Invalid value at '%s' (%s), %q", where, "TYPE_ENUM", v)
		}
		switch format {
		case "int64", "uint64":
			if !isInteger(v) {
				return bad()
			}
		case "google-datetime", "date-time":
			if !isRFC3339(v) {
				return bad()
			}
		}
	case "integer":
		if !isInteger(v) {
			return bad()
		}
	case "number":
		if fromString && v != "NaN" && v != "Infinity" && v != "-Infinity" {
			if !isNumber(v) {
				return bad()
			}
		}
	case "boolean":
		if v != "true" && v != "false" {
			return bad()
		}
	}
	return nil
}

var (
	integerRE = regexp.MustCompile(`^-?[0-9]+$`)
	numberRE  = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
	rfc3339RE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)
)

func isInteger(v string) bool { return integerRE.MatchString(v) }
func isNumber(v string) bool  { return numberRE.MatchString(v) }
func isRFC3339(v string) bool { return rfc3339RE.MatchString(v) }
