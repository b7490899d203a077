// Package people is the network's CRM: people (names, e-mails, phones, address, language,
// tags, custom fields, notes, consent per channel, organization affiliations, membership and
// a timeline other modules append to), organizations and the public directory, membership
// tiers and their sweep, fast search and keyset-paged lists, saved segments compiled to
// parameterized SQL, dedupe and merge, CSV import (a background job) and audited CSV export,
// and the services behind the public Join page and member self-service. It touches the
// database, the audit log, the job queue and, through the Mailer interface, outgoing mail.
//
// The CRM holds NO immigration status, A-number, visa, detention or case fact, and no field
// meant for one: that data is of the sensitive class (THREAT-MODEL.md) and lives, encrypted
// and need-to-know, in the cases and incidents modules. Custom fields are for network
// matters (skills, shirt size, chapter); their definitions say so to administrators, and a
// field key or label that names immigration status is refused (see customfields.go).
//
// Names, e-mails and phones here are of the internal class: readable with people.read,
// changed with people.write, exported only with people.export and always audited.
package people
