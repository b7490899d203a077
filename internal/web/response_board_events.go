package web

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Board streams: a comment every streamHeartbeat keeps proxies from closing an idle
// stream (and finds a client that left), and a stream ends after streamMax so that the
// browser reconnects through the session check again.
var (
	streamHeartbeat = 15 * time.Second
	streamMax       = 10 * time.Minute
)

// responseBoardEvents is the board's live stream (Server-Sent Events): one "report" event
// with the report's id each time a report changes on any node. It answers only clients
// that ask for an event stream (406 otherwise), holds no sensitive data, and ends when the
// client goes away, after streamMax, or when the server shuts down (the service closes
// every stream). The server's write timeout would cut a long stream, so each write pushes
// the connection's deadlines forward through http.ResponseController.
func (s *Server) responseBoardEvents(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		s.renderError(w, r, http.StatusNotAcceptable, "response.error.events_only")
		return
	}
	events, cancel, err := s.Response.BoardEvents(actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer cancel()
	rc := http.NewResponseController(w)
	// The request has been read: the server's read timeout must not end the stream.
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(msg string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(streamHeartbeat + 30*time.Second))
		if _, err := io.WriteString(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 3000\n\n") {
		return
	}
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	end := time.NewTimer(streamMax)
	defer end.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-end.C:
			return
		case id, ok := <-events:
			if !ok || !send(fmt.Sprintf("event: report\ndata: {\"report\":%d}\n\n", id)) {
				return
			}
		case <-beat.C:
			if !send(": ping\n\n") {
				return
			}
		}
	}
}
