package web

import (
	"solidarity/internal/auth"
	"solidarity/internal/giving"
)

// givingStaffRoutes are the books of giving: the staff home (/giving), gifts (list, one
// gift with its refunds and receipt, offline gifts recorded by hand, the CSV export), a
// person's gifts and annual statement, the reports, the funds and the receipt settings.
// Reading needs giving.read, every change giving.write, the export giving.export. (The
// receipt settings take giving.write here; the service also lets settings.manage in, which
// only administrators hold, and they hold giving.write too.)
//
// Public, and here because they belong to the books: the PDFs mailed to donors (the token
// in the address is the key) and the form where a donor asks for their annual statement.
func (s *Server) givingStaffRoutes() []route {
	read, write, export := Access(auth.PermGivingRead), Access(auth.PermGivingWrite), Access(auth.PermGivingExport)
	return []route{
		{"GET /giving", read, s.givsHome},

		// Gifts.
		{"GET /giving/gifts", read, s.givsGiftsList},
		{"GET /giving/gifts/new", write, s.givsGiftNew},
		{"POST /giving/gifts", write, s.givsGiftCreate},
		{"GET /giving/gifts/{id}", read, s.givsGiftShow},
		{"POST /giving/gifts/{id}/refund", write, s.givsGiftRefund},
		{"POST /giving/gifts/{id}/receipt", write, s.givsGiftResend},
		{"POST /giving/export", export, s.givsExport},

		// A person's gifts and statement.
		{"GET /giving/people/{id}", read, s.givsPerson},
		{"POST /giving/people/{id}/statement", write, s.givsPersonStatement},

		// Reports, funds, receipt settings.
		{"GET /giving/reports", read, s.givsReports},
		{"GET /giving/funds", read, s.givsFundsList},
		{"POST /giving/funds", write, s.givsFundCreate},
		{"GET /giving/funds/{id}", write, s.givsFundEdit},
		{"POST /giving/funds/{id}", write, s.givsFundUpdate},
		{"POST /giving/funds/{id}/delete", write, s.givsFundDelete},
		{"GET /giving/settings", write, s.givsSettings},
		{"POST /giving/settings", write, s.givsSettingsSave},

		// Donors: their PDFs and the annual statement form.
		{"GET " + giving.ReceiptPath + "{file}", Public, s.givingReceiptPDF},
		{"GET " + giving.StatementPath + "{file}", Public, s.givingStatementPDF},
		{"GET " + giving.StatementFormPath, Public, s.givingStatementShow},
		{"POST " + giving.StatementFormPath, Public, s.givingStatementSubmit},
		{"GET " + givingStatementSentPath, Public, s.givingStatementSent},
	}
}
