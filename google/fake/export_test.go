package fake

// The fake's own tests check every read-cache hit against a fresh render.
func init() { checkReadCache = true }

// ReadCacheHits is how many spreadsheets.get calls were answered from
// the read cache.
func ReadCacheHits(s *Server) int { return s.readCacheHits() }
