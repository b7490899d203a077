package demo

import (
	"context"
	"fmt"
	"time"

	"solidarity/internal/auth"
	"solidarity/internal/giving"
)

// demoSettings are the invented organization's receipt settings. The tax number is not a
// valid EIN (no EIN starts with 00), so that no receipt can pass for a real one.
var demoSettings = giving.Settings{
	LegalName: "Solidarity Demo Network (invented)",
	TaxID:     "00-0000000",
	TaxStatementEn: "This is a demo receipt from an invented organization: it is not valid for taxes.\n" +
		"No goods or services were provided in exchange for this contribution.",
	TaxStatementEs: "Este es un recibo de demostración de una organización inventada: no sirve para los impuestos.\n" +
		"No se entregaron bienes ni servicios a cambio de esta contribución.",
}

// demoFunds are the funds gifts are designated to: the general fund first, then the bail
// fund.
var demoFunds = []giving.Fund{
	{Code: "general", NameEn: "General fund", NameEs: "Fondo general", Active: true},
	{Code: "bail-fund", NameEn: "Bail fund", NameEs: "Fondo de fianzas", Active: true},
}

// demoPages are the published donation pages; fundIndex picks their fund in demoFunds.
var demoPages = []struct {
	page      giving.Page
	fundIndex int
}{
	{fundIndex: 1, page: giving.Page{
		Slug:    "bail-fund",
		TitleEn: "Bring our neighbors home: the community bail fund",
		TitleEs: "Traigamos a casa a nuestros vecinos: el fondo comunitario de fianzas",
		StoryEn: "When a neighbor is detained, a bond can bring them home to their family while their case goes on. " +
			"Every gift to this fund pays bonds and is returned to the fund when the case ends, so that it helps again.\n\n" +
			"This page belongs to the demo network: the story and the goal are invented.",
		StoryEs: "Cuando detienen a un vecino, una fianza puede devolverlo a su familia mientras sigue su caso. " +
			"Cada donación a este fondo paga fianzas y vuelve al fondo cuando el caso termina, para ayudar otra vez.\n\n" +
			"Esta página es de la red de demostración: la historia y la meta son inventadas.",
		ThanksEn:    "Thank you! Your gift goes straight to the bail fund.",
		ThanksEs:    "¡Gracias! Su donación va directamente al fondo de fianzas.",
		Amounts:     []int64{2500, 5000, 10000, 25000},
		AllowCustom: true,
		Currency:    "usd",
		Frequency:   giving.FrequencyBoth,
		GoalCents:   2_500_000,
		Published:   true,
	}},
	{fundIndex: 0, page: giving.Page{
		Slug:    "sustain-the-network",
		TitleEn: "Sustain the network",
		TitleEs: "Sostenga la red",
		StoryEn: "Hotline volunteers, know-your-rights trainings and rapid response all run on small, regular gifts from our members and friends.\n\n" +
			"This page belongs to the demo network: everything on it is invented.",
		StoryEs: "La línea de ayuda, los talleres de conozca sus derechos y la respuesta rápida funcionan con donaciones pequeñas y constantes de nuestros miembros y amistades.\n\n" +
			"Esta página es de la red de demostración: todo lo que dice es inventado.",
		ThanksEn:    "Thank you for keeping the network going.",
		ThanksEs:    "Gracias por mantener viva la red.",
		Amounts:     []int64{1000, 2500, 5000},
		AllowCustom: true,
		Currency:    "usd",
		Frequency:   giving.FrequencyBoth,
		Published:   true,
	}},
}

// demoGiftCount is how many offline gifts the demo records over the last year.
const demoGiftCount = 30

// demoAmounts are the amounts of the offline gifts, in cents, used in turn.
var demoAmounts = []int64{2500, 5000, 10000, 2000, 15000, 7500, 30000, 4000, 25000, 1000, 50000, 3500, 12000}

// loadGiving adds the receipt settings, the funds, the donation pages and a year of
// offline gifts from the demo people (a few anonymous cash gifts among them), one of them
// partly refunded, so that the staff home, the gift list and the reports and their chart
// have something to show. Card gifts need Stripe and are left out.
func loadGiving(ctx context.Context, g *giving.Service, donors []int64) error {
	sys := auth.System("demo")
	if _, err := g.SaveSettings(ctx, sys, demoSettings); err != nil {
		return fmt.Errorf("demo: receipt settings: %w", err)
	}
	fundIDs := make([]int64, len(demoFunds))
	for i, f := range demoFunds {
		saved, err := g.SaveFund(ctx, sys, 0, f)
		if err != nil {
			return fmt.Errorf("demo: fund %s: %w", f.Code, err)
		}
		fundIDs[i] = saved.ID
	}
	pageOfFund := map[int64]int64{} // the page each fund's gifts count toward
	for _, p := range demoPages {
		page := p.page
		page.FundID = fundIDs[p.fundIndex]
		saved, err := g.SavePage(ctx, sys, 0, page)
		if err != nil {
			return fmt.Errorf("demo: donation page %s: %w", page.Slug, err)
		}
		pageOfFund[page.FundID] = saved.ID
	}
	for _, gift := range demoGifts(time.Now().UTC(), donors, fundIDs) {
		gift.PageID = pageOfFund[gift.FundID] // collected for the page's campaign
		id, err := g.RecordOfflineGift(ctx, sys, gift)
		if err != nil {
			return fmt.Errorf("demo: offline gift: %w", err)
		}
		if gift.Reference == "TRF-DEMO-0003" {
			if err := g.Refund(ctx, sys, giving.RefundRequest{GiftID: id, AmountCents: gift.AmountCents / 2,
				Reason: "Demo: half of a transfer sent twice by mistake was returned"}); err != nil {
				return fmt.Errorf("demo: refund: %w", err)
			}
		}
	}
	return nil
}

// demoGifts spreads demoGiftCount offline gifts over the last eleven months (so that all
// fall in the default twelve-month report), newest first: every method staff record by
// hand, two thirds to the general fund and a third to the bail fund, from the demo people
// in turn, with every seventh gift an anonymous cash gift.
func demoGifts(now time.Time, donors, fundIDs []int64) []giving.OfflineGift {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	out := make([]giving.OfflineGift, 0, demoGiftCount)
	checks, transfers := 0, 0
	for i := range demoGiftCount {
		g := giving.OfflineGift{
			ReceivedOn:  today.AddDate(0, 0, -i*11),
			AmountCents: demoAmounts[i%len(demoAmounts)],
			Currency:    "usd",
			Method:      giving.OfflineMethods[i%len(giving.OfflineMethods)],
			FundID:      fundIDs[0],
		}
		if i%3 == 2 {
			g.FundID = fundIDs[1]
		}
		switch g.Method {
		case giving.MethodCheck:
			checks++
			g.Reference = fmt.Sprintf("Check %04d", 1000+checks)
		case giving.MethodBankTransfer:
			transfers++
			g.Reference = fmt.Sprintf("TRF-DEMO-%04d", transfers)
		}
		if i%7 == 6 {
			g.Method, g.Reference = giving.MethodCash, "" // anonymous: cash in the box at a meeting
		} else if len(donors) > 0 {
			g.PersonID = donors[i%len(donors)]
		}
		out = append(out, g)
	}
	return out
}
