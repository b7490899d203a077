package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/errs"
)

// Reencrypt rewrites every registered ciphertext that is not under the current field key,
// batch rows per transaction, and returns how many it rewrote. A row changed by someone
// else meanwhile is left as they wrote it. A row that does not decrypt is skipped (and
// keeps its key version from being retired); the error at the end counts them, naming
// only table, column and id. It fails with errs.Sealed when this node is sealed.
func (v *Vault) Reencrypt(ctx context.Context, batch int) (done int, err error) {
	if batch <= 0 {
		batch = 200
	}
	// Another node may have rotated since this one last polled: never "re-encrypt" newer
	// ciphertexts back to an older key.
	if err := v.Refresh(ctx); err != nil {
		return 0, err
	}
	current, err := v.currentVersion()
	if err != nil {
		return 0, err
	}
	if latest, err := latestVersion(ctx, v.db); err != nil {
		return 0, err
	} else if latest != current {
		return 0, errs.Internalf("vault: this node encrypts with key version %d but %d exists; retry after it reloads", current, latest)
	}
	failed := 0
	for _, f := range v.Fields() {
		var after int64
		for {
			n, bad, last, more, err := v.reencryptBatch(ctx, f, current, after, batch)
			done += n
			failed += bad
			if err != nil {
				return done, fmt.Errorf("vault: re-encrypt %s.%s: %w", f.Table, f.Column, err)
			}
			if !more {
				break
			}
			after = last
		}
		v.log.Info("vault re-encrypted column", "table", f.Table, "column", f.Column, "total", done)
	}
	if failed > 0 {
		return done, errs.Internalf("vault: %d ciphertexts could not be re-encrypted (see the log)", failed)
	}
	return done, nil
}

// stale is one ciphertext under an old key.
type stale struct {
	id int64
	ct []byte
}

// reencryptBatch rewrites up to batch stale rows of f with ids above after, in one
// transaction. It reports the rows rewritten, the rows that failed, the last id seen and
// whether more rows may follow.
func (v *Vault) reencryptBatch(ctx context.Context, f Field, current uint32, after int64, batch int) (n, bad int, last int64, more bool, err error) {
	err = v.db.InTx(ctx, func(tx *db.Tx) error {
		n, bad = 0, 0
		// Identifiers were checked by RegisterField; values are bound.
		rows, err := tx.QueryContext(ctx, "SELECT "+f.IDColumn+", "+f.Column+" FROM "+f.Table+
			" WHERE "+f.IDColumn+" > ? AND "+f.Column+" IS NOT NULL AND length("+f.Column+") > 0 AND substr("+f.Column+", 1, ?) <> ?"+
			" ORDER BY "+f.IDColumn+" LIMIT ?", after, headerLen, versionHeader(current), batch)
		if err != nil {
			return errs.Internalf("select: %w", err)
		}
		var todo []stale
		for rows.Next() {
			var s stale
			if err := rows.Scan(&s.id, &s.ct); err != nil {
				rows.Close()
				return errs.Internalf("scan: %w", err)
			}
			todo = append(todo, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return errs.Internalf("select: %w", err)
		}
		more = len(todo) == batch
		for _, s := range todo {
			last = s.id
			plain, err := v.Decrypt(f.Table, s.id, f.Column, s.ct)
			if errors.Is(err, ErrCorrupt) {
				bad++
				v.log.Error("vault: ciphertext does not decrypt; left as is", "table", f.Table, "column", f.Column, "id", s.id)
				continue
			} else if err != nil {
				return err
			}
			fresh, err := v.Encrypt(f.Table, s.id, f.Column, plain)
			clear(plain)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, "UPDATE "+f.Table+" SET "+f.Column+" = ? WHERE "+f.IDColumn+" = ? AND "+f.Column+" = ?", fresh, s.id, s.ct)
			if err != nil {
				return errs.Internalf("update: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 1 {
				n++
			}
		}
		return nil
	})
	return n, bad, last, more, err
}

// Retire deletes old field key versions that no registered column still uses and whose
// successor is older than RetireGrace; values under a retired key are unreadable for
// good, so only register-complete code may call it (every encrypted column registered).
// It returns the versions retired and, when some old version is still inside its grace
// period, how long until it leaves it. The current version is never retired.
func (v *Vault) Retire(ctx context.Context) (retired []uint32, wait time.Duration, err error) {
	fields := v.Fields()
	err = v.db.InTx(ctx, func(tx *db.Tx) error {
		retired, wait = nil, 0
		keys, err := readKeys(ctx, tx)
		if err != nil {
			return err
		}
		var versions []wrappedKey
		for _, k := range keys {
			if k.purpose == purposeField {
				versions = append(versions, k)
			}
		}
		for i := 0; i+1 < len(versions); i++ {
			old, next := versions[i], versions[i+1]
			if since := tx.Now.Sub(next.created); since < v.RetireGrace {
				wait = max(wait, v.RetireGrace-since)
				continue
			}
			used, err := inUse(ctx, tx, fields, old.version)
			if err != nil {
				return err
			}
			if used {
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM vault_keys WHERE purpose = ? AND version = ?", purposeField, int64(old.version)); err != nil {
				return errs.Internalf("vault: retire key: %w", err)
			}
			retired = append(retired, old.version)
		}
		if len(retired) > 0 {
			_, err = bumpGeneration(ctx, tx) // other nodes reload and forget the retired keys
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	v.mu.Lock()
	if v.keys != nil {
		for _, r := range retired {
			clear(v.keys.field[r])
			delete(v.keys.field, r)
		}
	}
	v.mu.Unlock()
	for _, r := range retired {
		v.log.Info("vault field key retired", "version", r)
	}
	return retired, wait, nil
}

// inUse reports whether any registered column holds a ciphertext under version.
func inUse(ctx context.Context, q db.Queryer, fields []Field, version uint32) (bool, error) {
	for _, f := range fields {
		var one int
		err := q.QueryRowContext(ctx, "SELECT 1 FROM "+f.Table+" WHERE "+f.Column+" IS NOT NULL AND substr("+f.Column+", 1, ?) = ? LIMIT 1",
			headerLen, versionHeader(version)).Scan(&one)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, errs.Internalf("vault: key usage in %s.%s: %w", f.Table, f.Column, err)
		}
	}
	return false, nil
}
