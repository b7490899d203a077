package web

// givsConfirm is the page that asks before a giving action that cannot be undone (a
// refund, deleting a fund).
type givsConfirm struct {
	Heading string // message key of the question
	Message string // what will happen, already translated (it carries amounts)
	Action  string // where the confirmed form posts
	Hidden  []crmHidden
	Button  string // message key of the button
	Cancel  string // where "cancel" goes
	Card    bool   // a card refund: say that Stripe returns the money
}
