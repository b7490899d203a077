// Package response is the rapid response loop: a neighbour reports a raid (public page,
// SMS, or a hotline operator's console), dispatchers verify it on a live board, the nearest
// available responders are sent and answer by SMS or a one-tap link, and only a confirmed
// report may be alerted to the subscribers of the affected ZIP codes, each in their own
// language, followed by an "all clear". Follow-up tasks carry the care that comes after.
//
// Reporters' phones, exact addresses and free text are of the sensitive class
// (THREAT-MODEL.md): they are encrypted by the vault, read only with the response
// permissions (every read audited), and deleted by retention policies (the reporter's
// phone 30 days after a report closes, the location of a false alarm after 7 days). No
// alert ever carries an exact address, and no public page says whether a report exists.
package response
