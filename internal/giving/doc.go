// Package giving is how the network is funded: donation pages (both languages, suggested
// and custom amounts, one-time or monthly, goals and funds), payment through Stripe Checkout
// (card data never reaches this server), Stripe webhooks processed exactly once, monthly
// gifts and their failures, membership dues paid through the people module's tiers,
// offline gifts and refunds recorded by staff, sequential receipts (e-mail and PDF) and
// annual statements, and the donor reports with their server-drawn chart and audited CSV
// export. A donor becomes, or is matched to, a person in the people module, and each gift
// lands on that person's timeline.
//
// Gifts are of the internal class (THREAT-MODEL.md): readable with giving.read, changed
// with giving.write, exported only with giving.export and always audited. No card number,
// expiry or security code is ever received or stored: Stripe holds them.
package giving
