package auth_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"solidarity/internal/auth"
	"solidarity/internal/errs"
)

// softKey is a software passkey: what a phone or security key does, in a few lines, so
// that the ceremonies run end to end without a browser.
type softKey struct {
	priv    *ecdsa.PrivateKey
	id      []byte
	origin  string
	rpID    string
	counter uint32
}

func newSoftKey(t testing.TB) *softKey {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &softKey{priv: priv, id: id, origin: "https://solidarity.test", rpID: "solidarity.test"}
}

var b64 = base64.RawURLEncoding

func (k *softKey) clientData(t testing.TB, kind string, challenge []byte) []byte {
	data, err := json.Marshal(map[string]any{"type": kind, "challenge": b64.EncodeToString(challenge), "origin": k.origin, "crossOrigin": false})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// authData is the authenticator data: RP ID hash, flags (user present and verified), the
// signature counter, and for registration the new credential.
func (k *softKey) authData(t testing.TB, attested bool) []byte {
	rp := sha256.Sum256([]byte(k.rpID))
	out := append([]byte{}, rp[:]...)
	flags := byte(0x01 | 0x04)
	if attested {
		flags |= 0x40
	}
	out = append(out, flags)
	k.counter++
	out = binary.BigEndian.AppendUint32(out, k.counter)
	if !attested {
		return out
	}
	out = append(out, make([]byte, 16)...) // AAGUID
	out = binary.BigEndian.AppendUint16(out, uint16(len(k.id)))
	out = append(out, k.id...)
	point, err := k.priv.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	cose, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
		PublicKeyData: webauthncose.PublicKeyData{KeyType: int64(webauthncose.EllipticKey), Algorithm: int64(webauthncose.AlgES256)},
		Curve:         1, XCoord: point[1:33], YCoord: point[33:],
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, cose...)
}

// create answers navigator.credentials.create.
func (k *softKey) create(t testing.TB, c *protocol.CredentialCreation) []byte {
	t.Helper()
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(t, true)})
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(k.clientData(t, "webauthn.create", c.Response.Challenge)),
			"attestationObject": b64.EncodeToString(att),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// get answers navigator.credentials.get; a tampered key signs with the wrong key.
func (k *softKey) get(t testing.TB, a *protocol.CredentialAssertion, signer *ecdsa.PrivateKey) []byte {
	t.Helper()
	if signer == nil {
		signer = k.priv
	}
	data := k.authData(t, false)
	client := k.clientData(t, "webauthn.get", a.Response.Challenge)
	ch := sha256.Sum256(client)
	digest := sha256.Sum256(append(append([]byte{}, data...), ch[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, signer, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(client),
			"authenticatorData": b64.EncodeToString(data),
			"signature":         b64.EncodeToString(sig),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPasskeyRegisterAndLogin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "key@example.org"
		e.account(t, email, auth.RoleMember)
		key := newSoftKey(t)
		g := e.signIn(t, email)

		creation, err := e.svc.BeginPasskeyRegistration(e.ctx, g.Token)
		if err != nil {
			t.Fatal(err)
		}
		if creation.Response.RelyingParty.ID != "solidarity.test" {
			t.Fatalf("relying party = %q", creation.Response.RelyingParty.ID)
		}
		wantField(t, errOnly(e.svc.FinishPasskeyRegistration(e.ctx, g.Token, "  ", key.create(t, creation))), "name", "auth.passkey.name_required")
		en, err := e.svc.FinishPasskeyRegistration(e.ctx, g.Token, "My phone", key.create(t, creation))
		if err != nil {
			t.Fatalf("finish registration: %v", err)
		}
		if len(en.RecoveryCodes) != auth.RecoveryCodes || en.SignedIn != nil {
			t.Fatalf("enrolment = %+v", en)
		}
		// The challenge was used up.
		wantField(t, errOnly(e.svc.FinishPasskeyRegistration(e.ctx, g.Token, "Again", key.create(t, creation))), "passkey", "auth.passkey.expired")
		me := e.actorOf(t, g)
		keys, err := e.svc.ListPasskeys(e.ctx, me)
		if err != nil || len(keys) != 1 || keys[0].Name != "My phone" {
			t.Fatalf("passkeys = %+v, %v", keys, err)
		}

		// Sign-in now waits for the passkey.
		p := e.signIn(t, email)
		if p.Stage != auth.StageSecondFactor {
			t.Fatalf("stage %s", p.Stage)
		}
		assertion, err := e.svc.BeginPasskeyLogin(e.ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		wantField(t, errOnly(e.svc.FinishPasskeyLogin(e.ctx, p.Token, key.get(t, assertion, other))), "passkey", "auth.passkey.failed")
		assertion, err = e.svc.BeginPasskeyLogin(e.ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		full, err := e.svc.FinishPasskeyLogin(e.ctx, p.Token, key.get(t, assertion, nil))
		if err != nil {
			t.Fatalf("finish login: %v", err)
		}
		e.actorOf(t, full)
		if got := e.audit.find("auth.signin"); len(got) == 0 || got[len(got)-1].Detail != "stage=full factor=passkey" {
			t.Fatalf("sign-in audit = %+v", got)
		}
		keys, _ = e.svc.ListPasskeys(e.ctx, me)
		if keys[0].LastUsedAt == nil {
			t.Error("last use not recorded")
		}

		// A member may remove their only factor; the recovery codes go with it.
		if err := e.svc.RemovePasskey(e.ctx, me, keys[0].ID); err != nil {
			t.Fatal(err)
		}
		if left, _ := e.svc.RecoveryCodesLeft(e.ctx, me); left != 0 {
			t.Fatalf("%d recovery codes left without a factor", left)
		}
		if p := e.signIn(t, email); p.Stage != auth.StageFull {
			t.Fatalf("stage %s after removing the only factor", p.Stage)
		}
		wantKey(t, e.svc.RemovePasskey(e.ctx, me, keys[0].ID), errs.CodeNotFound, "auth.passkey.not_found")
	})
}

func TestPasskeyEnrolsSensitiveRole(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const email = "respond@example.org"
		e.account(t, email, auth.RoleResponder)
		p := e.signIn(t, email)
		if p.Stage != auth.StageEnrol {
			t.Fatalf("stage %s, want enrol", p.Stage)
		}
		key := newSoftKey(t)
		creation, err := e.svc.BeginPasskeyRegistration(e.ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		en, err := e.svc.FinishPasskeyRegistration(e.ctx, p.Token, "Work key", key.create(t, creation))
		if err != nil {
			t.Fatal(err)
		}
		if en.SignedIn == nil {
			t.Fatal("enrolling session not signed in")
		}
		actor := e.actorOf(t, *en.SignedIn)
		keys, _ := e.svc.ListPasskeys(e.ctx, actor)
		wantKey(t, e.svc.RemovePasskey(e.ctx, actor, keys[0].ID), errs.CodeConflict, "auth.second_factor.required")
	})
}
