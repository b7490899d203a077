// Passkeys (WebAuthn) for Solidarity: signing in with one on the second-factor page, and
// adding one on the two-step set-up page. The pages work without this script (with an
// authenticator app or a recovery code); it only reveals the passkey sections when the
// browser can use them. It talks JSON to the server's passkey endpoints; every message it
// shows comes from the page (data-msg-* attributes) or from the server, already translated.
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) {
    return;
  }

  // base64url (no padding), as the server encodes binary fields, to bytes and back.
  function fromB64u(s) {
    var b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) {
      b64 += "=";
    }
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }

  function toB64u(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    var o = json.publicKey;
    o.challenge = fromB64u(o.challenge);
    o.user.id = fromB64u(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
    return o;
  }

  function requestOptions(json) {
    var o = json.publicKey;
    o.challenge = fromB64u(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = fromB64u(c.id); });
    return o;
  }

  // credentialJSON encodes what the browser made or signed for the server.
  function credentialJSON(cred) {
    var r = cred.response;
    var out = {
      id: cred.id,
      rawId: toB64u(cred.rawId),
      type: cred.type,
      response: { clientDataJSON: toB64u(r.clientDataJSON) },
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    };
    if (cred.authenticatorAttachment) {
      out.authenticatorAttachment = cred.authenticatorAttachment;
    }
    if (r.attestationObject) {
      out.response.attestationObject = toB64u(r.attestationObject);
      if (r.getTransports) {
        out.response.transports = r.getTransports();
      }
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toB64u(r.authenticatorData);
      out.response.signature = toB64u(r.signature);
      if (r.userHandle) {
        out.response.userHandle = toB64u(r.userHandle);
      }
    }
    return out;
  }

  // post sends JSON and returns the JSON answer; a failure carries the server's message and,
  // when the sign-in must start again, where to go.
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body === undefined ? {} : body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var err = new Error(data.error || "");
          err.server = data;
          throw err;
        }
        return data;
      });
    });
  }

  function setup(box) {
    var kind = box.getAttribute("data-passkey");
    var button = box.querySelector("[data-passkey-start]");
    var status = box.querySelector(".passkey-status");
    var error = box.querySelector(".passkey-error");
    var nameInput = box.querySelector("#passkey-name");
    var next = box.getAttribute("data-next") || "/";

    function say(el, text) {
      status.textContent = "";
      error.textContent = "";
      if (el) {
        el.textContent = text;
      }
    }

    function failed(err) {
      button.disabled = false;
      if (err && err.server && err.server.signIn) {
        window.location.assign(err.server.signIn);
        return;
      }
      if (err && (err.name === "NotAllowedError" || err.name === "AbortError")) {
        say(error, box.getAttribute("data-msg-cancelled"));
      } else {
        say(error, (err && err.server && err.server.error) || box.getAttribute("data-msg-failed"));
      }
      if (err && err.server && err.server.field === "name" && nameInput) {
        nameInput.setAttribute("aria-invalid", "true");
        nameInput.focus();
      }
    }

    function showCodes(codes) {
      var section = document.querySelector(".passkey-codes");
      var list = section.querySelector(".recovery-codes");
      codes.forEach(function (c) {
        var li = document.createElement("li");
        var code = document.createElement("code");
        code.textContent = c;
        li.appendChild(code);
        list.appendChild(li);
      });
      box.hidden = true;
      section.hidden = false;
      section.querySelector("h2").focus();
    }

    function signIn() {
      return post(box.getAttribute("data-begin")).then(function (options) {
        return navigator.credentials.get({ publicKey: requestOptions(options) });
      }).then(function (cred) {
        return post(box.getAttribute("data-finish"), credentialJSON(cred));
      }).then(function () {
        window.location.assign(next);
      });
    }

    function register() {
      var name = nameInput.value.trim();
      if (!name) {
        button.disabled = false;
        say(error, nameInput.getAttribute("data-msg-required") || "");
        nameInput.setAttribute("aria-invalid", "true");
        nameInput.focus();
        return Promise.resolve();
      }
      nameInput.removeAttribute("aria-invalid");
      return post(box.getAttribute("data-begin")).then(function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) });
      }).then(function (cred) {
        return post(box.getAttribute("data-finish"), { name: name, credential: credentialJSON(cred) });
      }).then(function (answer) {
        if (answer.recoveryCodes && answer.recoveryCodes.length) {
          showCodes(answer.recoveryCodes);
        } else {
          window.location.assign(next);
        }
      });
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(status, box.getAttribute("data-msg-working"));
      (kind === "login" ? signIn() : register()).catch(failed);
    });
    box.hidden = false;
  }

  document.querySelectorAll("[data-passkey]").forEach(setup);
})();
