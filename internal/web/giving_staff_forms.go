package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"solidarity/internal/giving"
)

// givsFilter is the gift filter of the list, the export and the links between them, as
// typed: every value a string, so that a bad one can be shown back.
type givsFilter struct {
	From, To, Method, Fund, Page string
}

// givsReadFilter reads the filter from a query or a posted form.
func givsReadFilter(v url.Values) givsFilter {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return givsFilter{From: get("from"), To: get("to"), Method: get("method"), Fund: get("fund"), Page: get("page")}
}

// Query is the filter as the service takes it, or the field errors of values that cannot
// be read.
func (f givsFilter) Query() (giving.GiftQuery, crmErrors) {
	var q giving.GiftQuery
	var ok bool
	if q.From, ok = adminParseDate(f.From); !ok {
		return q, crmFieldError("from", "giving.report.date_invalid")
	}
	if q.To, ok = adminParseDate(f.To); !ok {
		return q, crmFieldError("to", "giving.report.date_invalid")
	}
	q.Method = giving.Method(f.Method)
	if q.FundID, ok = givsOptionalID(f.Fund); !ok {
		return q, crmFieldError("fund", "giving.report.filter_invalid")
	}
	if q.PageID, ok = givsOptionalID(f.Page); !ok {
		return q, crmFieldError("page", "giving.report.filter_invalid")
	}
	return q, crmErrors{}
}

// Values is the filter as query values, the empty ones left out.
func (f givsFilter) Values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"from": f.From, "to": f.To, "method": f.Method, "fund": f.Fund, "page": f.Page} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

// Empty reports whether no filter is set.
func (f givsFilter) Empty() bool { return f == givsFilter{} }

// Hidden is the filter as hidden inputs, for the export form under the list.
func (f givsFilter) Hidden() []crmHidden {
	var out []crmHidden
	for _, k := range []string{"from", "to", "method", "fund", "page"} {
		if v := f.Values().Get(k); v != "" {
			out = append(out, crmHidden{Name: k, Value: v})
		}
	}
	return out
}

// givsOptionalID reads an optional positive id: 0 when empty.
func givsOptionalID(v string) (int64, bool) {
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

// givsGiftURL is the address of a gift's page.
func givsGiftURL(id int64) string { return "/giving/gifts/" + strconv.FormatInt(id, 10) }

// givsToday is the day of the server's clock, as a date input wants it.
func (s *Server) givsToday() string { return s.DB.Now().UTC().Format(adminDateLayout) }

// givsMoney writes cents as a plain amount for a form's input ("25.50").
func givsMoney(cents int64) string { return crmMoney(cents) }

// givsStatus is the message key of a gift's status.
func givsStatus(st giving.GiftStatus) string { return "givs.status." + string(st) }

// givsDate writes a day for the page.
func givsDate(t time.Time) string { return t.UTC().Format(adminDateLayout) }

// givsLabels gives templates the words and amounts of gifts; page data embeds it.
type givsLabels struct{}

// MethodKey is the message key of a payment method.
func (givsLabels) MethodKey(m giving.Method) string { return giving.MethodKey(m) }

// StatusKey is the message key of a gift's status.
func (givsLabels) StatusKey(st giving.GiftStatus) string { return givsStatus(st) }

// Amount writes cents in a currency ("$25.50").
func (givsLabels) Amount(cents int64, currency string) string {
	return giving.FormatAmount(cents, currency)
}

// MethodKeyOf is MethodKey for a method held as text (a report line's key).
func (givsLabels) MethodKeyOf(m string) string { return giving.MethodKey(giving.Method(m)) }
