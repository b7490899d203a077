package demo

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/notify"
	"solidarity/internal/people"
	"solidarity/internal/response"
)

// demoResponder is an invented responder: the person, then their dispatch details.
type demoResponder struct {
	person people.PersonInput
	// account is the role of the demo account linked to them, so that its holder can toggle
	// on call; "" for none.
	account auth.Role
	input   response.ResponderInput
}

// demoResponders are trained people of the network near the demo reports' ZIP codes.
var demoResponders = []demoResponder{
	{account: auth.RoleResponder,
		person: people.PersonInput{GivenName: "Daniel", FamilyName: "Kim", Emails: []string{"daniel.kim@demo.solidarity.invalid"},
			Phones: []string{"+12135550111"}, Address: people.Address{City: "Los Angeles", State: "CA", ZIP: "90001", Country: "US"}, Language: "en"},
		input: response.ResponderInput{TrainedOn: "2025-02-15", Languages: []string{"en", "ko"}, ZIPs: []string{"90001", "90002"},
			OnCall: true, TimeZone: "America/Los_Angeles", Channel: response.ResponderSMS}},
	{person: people.PersonInput{GivenName: "Paloma", FamilyName: "Ruiz", Emails: []string{"paloma.ruiz@demo.solidarity.invalid"},
		Phones: []string{"+13235550112"}, Address: people.Address{City: "Los Angeles", State: "CA", ZIP: "90003", Country: "US"}, Language: "es"},
		input: response.ResponderInput{TrainedOn: "2024-10-05", Languages: []string{"es", "en"}, ZIPs: []string{"90001", "90003"},
			OnCall: true, TimeZone: "America/Los_Angeles", Channel: response.ResponderSMS}},
	{person: people.PersonInput{GivenName: "Ernesto", FamilyName: "Vidal", Emails: []string{"ernesto.vidal@demo.solidarity.invalid"},
		Phones: []string{"+15125550113"}, Address: people.Address{City: "Austin", State: "TX", ZIP: "78702", Country: "US"}, Language: "es"},
		input: response.ResponderInput{TrainedOn: "2025-01-18", Languages: []string{"es", "en", "mam"}, ZIPs: []string{"78702", "78741"},
			OnCall: true, TimeZone: "America/Chicago", Channel: response.ResponderSMS}},
	{person: people.PersonInput{GivenName: "Nadia", FamilyName: "Haddad", Emails: []string{"nadia.haddad@demo.solidarity.invalid"},
		Address: people.Address{City: "Austin", State: "TX", ZIP: "78702", Country: "US"}, Language: "en"},
		input: response.ResponderInput{TrainedOn: "2025-03-22", Languages: []string{"en", "ar"}, ZIPs: []string{"78702"},
			OnCall: true, TimeZone: "America/Chicago", Channel: response.ResponderEmail,
			Hours: [7]string{"", "18-23", "18-23", "18-23", "18-23", "18-23", "9-17"}}},
	{person: people.PersonInput{GivenName: "Jean-Robert", FamilyName: "Pierre", Emails: []string{"jr.pierre@demo.solidarity.invalid"},
		Phones: []string{"+13055550114"}, Address: people.Address{City: "Miami", State: "FL", ZIP: "33135", Country: "US"}, Language: "en"},
		input: response.ResponderInput{TrainedOn: "2024-11-09", Languages: []string{"ht", "fr", "en"}, ZIPs: []string{"33135", "33125"},
			OnCall: true, TimeZone: "America/New_York", Channel: response.ResponderSMS}},
	{person: people.PersonInput{GivenName: "Marisol", FamilyName: "Campos", Emails: []string{"marisol.campos@demo.solidarity.invalid"},
		Phones: []string{"+13055550115"}, Address: people.Address{City: "Miami", State: "FL", ZIP: "33135", Country: "US"}, Language: "es"},
		input: response.ResponderInput{TrainedOn: "2025-04-12", Languages: []string{"es"}, ZIPs: []string{"33135"},
			OnCall: false, TimeZone: "America/New_York", Channel: response.ResponderSMS}},
}

// demoReport is an invented report and where the demo takes it: the states it moves
// through after intake, the outcome it closes with, the checklist items ticked, and
// whether it carries the follow-up tasks.
type demoReport struct {
	in      response.ReportInput
	path    []response.State
	outcome response.Outcome
	checks  int // how many of the first active checklist items are ticked
	tasks   bool
}

// demoReports cover every state of the loop, in three ZIP codes. Addresses and people are
// invented: the street names exist nowhere.
var demoReports = []demoReport{
	{in: response.ReportInput{Kind: response.KindWorkplace, Address: "Loading dock, 1400 Imaginaria Way", ZIP: "78702",
		Ago: 20 * time.Minute, Agents: 6, Vehicles: 3, Language: "es",
		Attire:      "Chalecos con letras amarillas (demo inventada)",
		Description: "Demo: un vecino inventado llama desde una bodega ficticia; dice que hay agentes en la entrada de carga.",
		Phone:       "+15125550161"}},
	{in: response.ReportInput{Kind: response.KindVehicles, Address: "Corner of Placeholder Ave and Nowhere Ln", ZIP: "33135",
		Ago: 75 * time.Minute, Vehicles: 4, Language: "en",
		Description: "Demo: four unmarked vans parked for an hour near an invented laundromat. Nobody seen getting out yet."},
		path: []response.State{response.StateVerifying}, checks: 1},
	{in: response.ReportInput{Kind: response.KindHome, Address: "2200 block of Fictional Fern St", ZIP: "90001",
		Ago: 3 * time.Hour, Agents: 4, Vehicles: 2, Language: "es",
		Attire:      "Chaquetas oscuras, sin orden judicial visible (demo)",
		Description: "Demo: agentes tocaron a la puerta de una casa inventada; la familia ficticia no abrió. Dos respondedores confirmaron en el lugar.",
		Phone:       "+13235550162"},
		path: []response.State{response.StateVerifying, response.StateConfirmed}, checks: 3, tasks: true},
	{in: response.ReportInput{Kind: response.KindCheckpoint, Address: "Imaginaria Way and Example Blvd", ZIP: "78702",
		Ago: 30 * time.Hour, Language: "en",
		Description: "Demo: a checkpoint was rumoured on social media; a responder found only road works."},
		path: []response.State{response.StateVerifying, response.StateFalseAlarm}, checks: 1},
	{in: response.ReportInput{Kind: response.KindArrest, Address: "Bus stop on Madeup Ave", ZIP: "33135",
		Ago: 50 * time.Hour, Agents: 3, Vehicles: 1, Language: "es",
		Description: "Demo: detuvieron a una persona inventada en una parada de autobús ficticia. Se avisó a su familia y a la clínica legal.",
		Phone:       "+13055550163"},
		path: []response.State{response.StateVerifying, response.StateConfirmed, response.StateClosed}, outcome: response.OutcomeDetained, checks: 2},
	{in: response.ReportInput{Kind: response.KindOther, Address: "Parking lot behind 900 Sample Rd", ZIP: "90001",
		Ago: 60 * time.Hour, Vehicles: 1, Language: "en",
		Description: "Demo: one car with government plates; gone when responders arrived."},
		path: []response.State{response.StateVerifying, response.StateUnconfirmed, response.StateClosed}, outcome: response.OutcomeNotFound},
}

// demoSubscribers sign up for alerts in both languages and by both channels.
var demoSubscribers = []response.SubscribeRequest{
	{Channel: response.AlertSMS, Contact: "+15125550171", ZIPs: []string{"78702", "78741"}, Language: "es", Consent: true},
	{Channel: response.AlertSMS, Contact: "+13055550172", ZIPs: []string{"33135"}, Language: "en", Consent: true},
	{Channel: response.AlertSMS, Contact: "+13235550173", ZIPs: []string{"90001", "90002"}, Language: "es", Consent: true},
	{Channel: response.AlertEmail, Contact: "vecina.eastside@demo.solidarity.invalid", ZIPs: []string{"78702"}, Language: "es", Consent: true},
	{Channel: response.AlertEmail, Contact: "neighbor.watts@demo.solidarity.invalid", ZIPs: []string{"90001"}, Language: "en", Consent: true},
}

// demoTemplates are an alert and its all clear, in both languages, with the safe
// placeholders only.
var demoTemplates = []response.AlertTemplate{
	{Name: "Activity reported (demo)", Kind: response.AlertKindAlert,
		BodyEn: "Rapid response alert: {{.Kind}} confirmed near {{.Area}} at {{.Time}}. You do not have to open the door. Stay calm, share only confirmed news.",
		BodyEs: "Alerta de respuesta rápida: {{.Kind}} confirmado cerca de {{.Area}} a las {{.Time}}. No tiene que abrir la puerta. Mantenga la calma y comparta solo noticias confirmadas."},
	{Name: "All clear (demo)", Kind: response.AlertKindAllClear,
		BodyEn: "All clear near {{.Area}}: the activity reported at {{.Time}} is over. Thank you for looking out for each other.",
		BodyEs: "Todo despejado cerca de {{.Area}}: la actividad reportada a las {{.Time}} terminó. Gracias por cuidarse entre todos."},
}

// loadResponse adds the alert templates, the responders, the alert subscribers and the
// reports in their states, with follow-up tasks on the confirmed one. Nothing is
// dispatched and no alert is created, so nothing is sent but the subscribers'
// confirmations (to the outbox unless a provider is configured; every contact is
// invented and unreachable).
func loadResponse(ctx context.Context, d Deps, accounts map[auth.Role]int64) error {
	sys := auth.System("demo")
	rs := d.Response
	for _, t := range demoTemplates {
		if _, err := rs.SaveAlertTemplate(ctx, sys, 0, t); err != nil {
			return fmt.Errorf("demo: alert template %s: %w", t.Name, err)
		}
	}
	for _, r := range demoResponders {
		person, err := d.People.Create(ctx, sys, r.person)
		if err != nil {
			return fmt.Errorf("demo: responder person %s: %w", r.person.GivenName, err)
		}
		in := r.input
		in.Person = fmt.Sprint(person.ID)
		if r.account != "" {
			in.Account = accountEmail(r.account)
		}
		if _, err := rs.AddResponder(ctx, sys, in); err != nil {
			return fmt.Errorf("demo: responder %s: %w", r.person.GivenName, err)
		}
	}
	if err := loadSubscribers(ctx, rs, d.Notify); err != nil {
		return err
	}
	checklist, err := rs.Checklist(ctx, sys)
	if err != nil {
		return fmt.Errorf("demo: checklist: %w", err)
	}
	var items []int64
	for _, c := range checklist {
		if c.Active {
			items = append(items, c.ID)
		}
	}
	for i, dr := range demoReports {
		rep, err := rs.TakeCall(ctx, sys, dr.in)
		if err != nil {
			return fmt.Errorf("demo: report %d: %w", i, err)
		}
		if n := min(dr.checks, len(items)); n > 0 {
			if err := rs.SetChecks(ctx, sys, rep.ID, items[:n]); err != nil {
				return fmt.Errorf("demo: report %d checks: %w", i, err)
			}
		}
		for _, st := range dr.path {
			outcome := response.Outcome("")
			if st == response.StateClosed {
				outcome = dr.outcome
			}
			if err := rs.SetState(ctx, sys, rep.ID, st, outcome); err != nil {
				return fmt.Errorf("demo: report %d to %s: %w", i, st, err)
			}
		}
		if dr.tasks {
			if err := loadTasks(ctx, rs, rep.ID, accounts); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadTasks adds the follow-up of a confirmed report: family support and a legal referral
// for the dispatcher, documentation for the administrator, already done.
func loadTasks(ctx context.Context, rs *response.Service, reportID int64, accounts map[auth.Role]int64) error {
	sys := auth.System("demo")
	tasks := []response.TaskInput{
		{Kind: response.TaskFamilySupport, OwnerID: accounts[auth.RoleDispatcher], DueIn: 4 * time.Hour},
		{Kind: response.TaskLegalReferral, OwnerID: accounts[auth.RoleDispatcher], DueIn: 48 * time.Hour},
		{Kind: response.TaskDocumentation, OwnerID: accounts[auth.RoleAdministrator], DueIn: 24 * time.Hour},
	}
	for _, in := range tasks {
		t, err := rs.AddTask(ctx, sys, reportID, in)
		if err != nil {
			return fmt.Errorf("demo: task %s: %w", in.Kind, err)
		}
		if in.Kind == response.TaskDocumentation {
			if _, err := rs.SetTaskDone(ctx, sys, t.ID, true); err != nil {
				return fmt.Errorf("demo: task done: %w", err)
			}
		}
	}
	return nil
}

// confirmLink finds the token of an alert subscription's confirmation link in a mail.
var confirmLink = regexp.MustCompile(regexp.QuoteMeta(response.SubscribeConfirmPath) + `([A-Za-z0-9_-]+)`)

// loadSubscribers signs up the demo subscribers as the public page would. The e-mail ones
// then use the link of their confirmation mail when it sits in the outbox (no SMTP
// server configured), so that they count as recipients; otherwise they stay pending, as a
// real subscriber who has not clicked yet.
func loadSubscribers(ctx context.Context, rs *response.Service, n *notify.Service) error {
	for _, s := range demoSubscribers {
		if err := rs.Subscribe(ctx, s); err != nil {
			return fmt.Errorf("demo: subscriber: %w", err)
		}
	}
	if n == nil || n.EmailConfigured() {
		return nil
	}
	box, err := n.Outbox(ctx, notify.Page{Limit: 200})
	if err != nil {
		return fmt.Errorf("demo: outbox: %w", err)
	}
	for _, m := range box.Deliveries {
		if m.Channel != notify.ChannelEmail || m.Purpose != "response.alerts_confirm" {
			continue
		}
		if t := confirmLink.FindStringSubmatch(m.Text); t != nil {
			if _, err := rs.ConfirmSubscription(ctx, t[1]); err != nil {
				return fmt.Errorf("demo: confirm subscriber: %w", err)
			}
		}
	}
	return nil
}
