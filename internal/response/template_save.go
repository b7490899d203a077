package response

import (
	"context"
	"fmt"

	"solidarity/internal/auth"
	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// SaveAlertTemplate creates (id 0) or updates an alert template. It needs response.alert.
// A name already used is errs.Invalid("name", "alerts.template.name_taken").
func (s *Service) SaveAlertTemplate(ctx context.Context, actor auth.Actor, id int64, t AlertTemplate) (AlertTemplate, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return AlertTemplate{}, err
	}
	if err := t.Validate(); err != nil {
		return AlertTemplate{}, err
	}
	err := s.inTx(ctx, func(tx *db.Tx) error {
		var taken int64
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM response_alert_templates WHERE name = ? AND id <> ?", t.Name, id).Scan(&taken)
		if err != nil {
			return fmt.Errorf("response: check template name: %w", err)
		}
		if taken > 0 {
			return errs.Invalid("name", "alerts.template.name_taken")
		}
		action := "response.alert_template.update"
		if id == 0 {
			action = "response.alert_template.create"
			id, err = tx.Insert(ctx, `INSERT INTO response_alert_templates (name, kind, body_en, body_es, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, t.Name, string(t.Kind), t.BodyEn, t.BodyEs, tx.Now, tx.Now)
			if err != nil {
				return db.Translate(err, "", "alerts.template.name_taken")
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE response_alert_templates SET name = ?, kind = ?, body_en = ?, body_es = ?,
				updated_at = ? WHERE id = ?`, t.Name, string(t.Kind), t.BodyEn, t.BodyEs, tx.Now, id)
			if err != nil {
				return db.Translate(err, "", "alerts.template.name_taken")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errs.NotFound("alerts.template.not_found")
			}
		}
		return record(ctx, tx, actor, action, fmt.Sprintf("alert_template:%d", id), "kind="+string(t.Kind))
	})
	if err != nil {
		return AlertTemplate{}, err
	}
	return s.AlertTemplate(ctx, actor, id)
}

// DeleteAlertTemplate removes a template; alerts sent with it keep their text.
func (s *Service) DeleteAlertTemplate(ctx context.Context, actor auth.Actor, id int64) error {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM response_alert_templates WHERE id = ?", id)
		if err != nil {
			return fmt.Errorf("response: delete template: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("alerts.template.not_found")
		}
		return record(ctx, tx, actor, "response.alert_template.delete", fmt.Sprintf("alert_template:%d", id), "")
	})
}

// AlertTemplate returns one template.
func (s *Service) AlertTemplate(ctx context.Context, actor auth.Actor, id int64) (AlertTemplate, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return AlertTemplate{}, err
	}
	return loadAlertTemplate(ctx, s.db, id)
}

func loadAlertTemplate(ctx context.Context, q db.Queryer, id int64) (AlertTemplate, error) {
	var t AlertTemplate
	err := q.QueryRowContext(ctx, "SELECT id, name, kind, body_en, body_es, created_at, updated_at FROM response_alert_templates WHERE id = ?", id).
		Scan(&t.ID, &t.Name, &t.Kind, &t.BodyEn, &t.BodyEs, &t.CreatedAt, &t.UpdatedAt)
	if err != nil {
		return AlertTemplate{}, db.Translate(err, "alerts.template.not_found", "")
	}
	return t, nil
}

// AlertTemplates lists the templates by kind and name.
func (s *Service) AlertTemplates(ctx context.Context, actor auth.Actor) ([]AlertTemplate, error) {
	if err := actor.Require(auth.PermResponseAlert); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, kind, body_en, body_es, created_at, updated_at FROM response_alert_templates ORDER BY kind, name")
	if err != nil {
		return nil, errs.Internalf("response: list templates: %w", err)
	}
	defer rows.Close()
	var out []AlertTemplate
	for rows.Next() {
		var t AlertTemplate
		if err := rows.Scan(&t.ID, &t.Name, &t.Kind, &t.BodyEn, &t.BodyEs, &t.CreatedAt, &t.UpdatedAt); err != nil {
			return nil, errs.Internalf("response: read template: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Internalf("response: list templates: %w", err)
	}
	return out, nil
}
