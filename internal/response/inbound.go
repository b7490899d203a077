package response

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"solidarity/internal/db"
)

// routeInbound decides what an inbound text from the number from is, in tx, and returns
// the reply.
func (s *Service) routeInbound(ctx context.Context, tx *db.Tx, from, body string) (string, error) {
	k, lang := classifyKeyword(body)
	switch k {
	case keywordStop:
		return s.inboundStop(ctx, tx, from, lang)
	case keywordHelp:
		if err := dispatchAudit(ctx, tx, "public", "sms", "response.sms.help", "", "lang="+lang); err != nil {
			return "", err
		}
		return s.catalog.Localizer(lang).T("response_dispatch.sms.help"), nil
	case keywordYes, keywordNo:
		req, found, err := inboundRequestOf(ctx, tx, from)
		if err != nil {
			return "", err
		}
		if found {
			if lang == "" {
				lang = req.Language
			}
			return s.inboundAnswer(ctx, tx, req, k == keywordYes, lang)
		}
	}
	if lang == "" {
		lang = guessLanguage(body)
	}
	return s.smsReport(ctx, tx, from, body, lang)
}

// inboundStop ends every message to the number: its alert subscriptions (the alerts'
// seam) and the SMS consent of the person who holds it, if any.
func (s *Service) inboundStop(ctx context.Context, tx *db.Tx, from, lang string) (string, error) {
	if err := s.smsLeave(ctx, tx, from); err != nil {
		return "", err
	}
	personID, err := s.people.OptOutSMS(ctx, tx, from)
	if err != nil {
		return "", err
	}
	object := ""
	if personID != 0 {
		object = fmt.Sprintf("person:%d", personID)
	}
	if err := dispatchAudit(ctx, tx, "public", "sms", "response.sms.stop", object, "lang="+lang); err != nil {
		return "", err
	}
	return s.catalog.Localizer(lang).T("response_dispatch.sms.stopped"), nil
}

// inboundRequestOf finds the request a responder's YES or NO answers: their pending one,
// the newest first, or else their newest live one whatever its state, so that an answer
// after the need was filled is told so and a repeated answer is told where it stands.
// Only numbers of a responder count.
func inboundRequestOf(ctx context.Context, tx *db.Tx, from string) (dispatchRequest, bool, error) {
	req, err := dispatchRequestScan(tx.QueryRowContext(ctx, `SELECT q.id, q.dispatch_id, q.report_id, q.responder_id, q.channel,
		q.language, q.state, q.answered_at, q.expires_at
		FROM response_dispatch_requests q
		JOIN response_responders r ON r.id = q.responder_id
		JOIN person_phones pp ON pp.person_id = r.person_id
		WHERE pp.phone = ? AND q.expires_at > ?
		ORDER BY CASE WHEN q.state = 'pending' THEN 0 ELSE 1 END, q.created_at DESC, q.id DESC
		LIMIT 1`, from, tx.Now).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return dispatchRequest{}, false, nil
	}
	if err != nil {
		return dispatchRequest{}, false, fmt.Errorf("response: find request of a reply: %w", err)
	}
	return req, true, nil
}

// inboundAnswer applies a responder's YES or NO and says what came of it, in lang.
func (s *Service) inboundAnswer(ctx context.Context, tx *db.Tx, req dispatchRequest, accept bool, lang string) (string, error) {
	out, err := s.answer(ctx, tx, req, accept, viaSMS)
	if err != nil {
		return "", err
	}
	r, err := loadReport(ctx, tx, req.ReportID)
	if err != nil {
		return "", err
	}
	return s.catalog.Localizer(lang).T("response_dispatch.sms.reply_"+string(out), s.dispatchMessageData(lang, r, "")), nil
}
