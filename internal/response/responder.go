package response

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // responders' hours are kept in their own time zone, on any host

	"solidarity/internal/errs"
	"solidarity/internal/geo"
	"solidarity/internal/people"
)

// ResponderChannel is how a responder prefers to be reached for a dispatch.
type ResponderChannel string

// The channels a responder can prefer.
const (
	ResponderSMS   ResponderChannel = "sms"
	ResponderEmail ResponderChannel = "email"
)

// ResponderLanguages are the languages a responder can be listed as speaking, in the order
// forms show them: English and Spanish, then the languages the communities the network
// serves speak most (Mayan languages included: many families speak K'iche' or Mam first).
var ResponderLanguages = []string{"en", "es", "pt", "fr", "ht", "zh", "vi", "ar", "ko", "tl", "quc", "mam"}

// ResponderTimeZones are the time zones a responder's weekly hours can be written in.
var ResponderTimeZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
}

// Limits of a responder's record.
const (
	MaxResponderZones = 50 // ZIP codes and counties together
	maxShiftsPerDay   = 6
	maxHoursText      = 100
)

// Shift is one range of a weekly schedule: on Day, from Start to End minutes after local
// midnight (End up to 1440).
type Shift struct {
	Day        time.Weekday
	Start, End int
}

// Responder is a person of the network trained to go to the scene, as dispatch sees them.
// Name and contact come from the people module.
type Responder struct {
	ID        int64
	PersonID  int64
	AccountID int64 // the staff account (responder role) linked to them; 0 for none
	// AccountEmail is that account's sign-in address, for the staff form.
	AccountEmail string
	Name         string
	// HasPhone and HasEmail say whether the person has a primary number or address;
	// SMSRevoked that they answered STOP.
	HasPhone, HasEmail, SMSRevoked bool
	TrainedOn                      time.Time // zero when not recorded
	Languages                      []string
	ZIPs                           []string
	Counties                       []string // FIPS codes
	OnCall                         bool
	Hours                          []Shift // empty: available whenever on call
	TimeZone                       string
	Channel                        ResponderChannel
	CreatedAt, UpdatedAt           time.Time
}

// AvailableAt reports whether the responder can be asked at t: on call and, when they have
// weekly hours, t falls in one of them in their time zone.
func (r Responder) AvailableAt(t time.Time) bool {
	if !r.OnCall {
		return false
	}
	if len(r.Hours) == 0 {
		return true
	}
	local := t.In(responderLocation(r.TimeZone))
	day, minute := local.Weekday(), local.Hour()*60+local.Minute()
	for _, sh := range r.Hours {
		if sh.Day == day && sh.Start <= minute && minute < sh.End {
			return true
		}
	}
	return false
}

// Reachable reports whether a request can reach the responder: by their preferred
// channel, or else the other one.
func (r Responder) Reachable() bool {
	return r.HasEmail || r.HasPhone && !r.SMSRevoked
}

// HoursText returns the schedule of one day as a form shows it: "08:00-12:00, 18:30-24:00".
func (r Responder) HoursText(day time.Weekday) string {
	var parts []string
	for _, sh := range r.Hours {
		if sh.Day == day {
			parts = append(parts, minuteText(sh.Start)+"-"+minuteText(sh.End))
		}
	}
	return strings.Join(parts, ", ")
}

func minuteText(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

var responderLocations sync.Map // time zone name → *time.Location

// responderLocation loads a time zone once; an unknown name (never stored: input is
// checked) falls back to UTC.
func responderLocation(name string) *time.Location {
	if l, ok := responderLocations.Load(name); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	responderLocations.Store(name, loc)
	return loc
}

// ResponderInput is what staff send to add or change a responder.
type ResponderInput struct {
	// Person picks who the responder is, by person id or e-mail address (adding only).
	Person string
	// Account is the e-mail of a staff account that may respond, linked so that its holder
	// can toggle on-call; "" for none.
	Account   string
	TrainedOn string // YYYY-MM-DD, or ""
	Languages []string
	ZIPs      []string
	Counties  []string // five-digit FIPS codes
	OnCall    bool
	// Hours holds each day's ranges as typed, Sunday first: "08-12, 18:30-23". A range
	// that ends before it starts runs past midnight into the next day.
	Hours    [7]string
	TimeZone string
	Channel  ResponderChannel
}

// responderFields is the responder's record once input is checked.
type responderFields struct {
	trainedOn *time.Time
	languages []string
	zips      []string
	counties  []string
	hours     []Shift
}

// validate checks everything but the person and account (which need the database) and
// returns the cleaned fields, or every problem as field errors.
func (in *ResponderInput) validate() (responderFields, error) {
	var f responderFields
	var l errs.List
	if t := strings.TrimSpace(in.TrainedOn); t != "" {
		d, err := time.Parse("2006-01-02", t)
		if err != nil || d.Year() < 1990 {
			l.Add("trained_on", "response_dispatch.responder.trained_invalid")
		} else {
			d = d.UTC()
			f.trainedOn = &d
		}
	}
	for _, lang := range in.Languages {
		lang = strings.ToLower(strings.TrimSpace(lang))
		if lang == "" {
			continue
		}
		if !slices.Contains(ResponderLanguages, lang) {
			l.Add("languages", "response_dispatch.responder.language_invalid")
			break
		}
		if !slices.Contains(f.languages, lang) {
			f.languages = append(f.languages, lang)
		}
	}
	if len(f.languages) == 0 {
		l.Add("languages", "response_dispatch.responder.language_required")
	}
	for _, z := range in.ZIPs {
		if strings.TrimSpace(z) == "" {
			continue
		}
		zip, ok := geo.NormalizeZIP(z)
		if p, known := geo.Lookup(zip); !ok || !known || !p.Located {
			l.Add("zips", "response_dispatch.responder.zip_unknown")
			break
		}
		if !slices.Contains(f.zips, zip) {
			f.zips = append(f.zips, zip)
		}
	}
	for _, c := range in.Counties {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if _, ok := geo.CountyOf(c); !ok {
			l.Add("counties", "response_dispatch.responder.county_unknown")
			break
		}
		if !slices.Contains(f.counties, c) {
			f.counties = append(f.counties, c)
		}
	}
	switch n := len(f.zips) + len(f.counties); {
	case n == 0 && l.Err() == nil:
		l.Add("zips", "response_dispatch.responder.zone_required")
	case n > MaxResponderZones:
		l.Add("zips", "response_dispatch.responder.zones_too_many")
	}
	slices.Sort(f.zips)
	slices.Sort(f.counties)
	if !slices.Contains(ResponderTimeZones, in.TimeZone) {
		l.Add("time_zone", "response_dispatch.responder.time_zone_invalid")
	}
	if in.Channel != ResponderSMS && in.Channel != ResponderEmail {
		l.Add("channel", "response_dispatch.responder.channel_invalid")
	}
	for d, text := range in.Hours {
		shifts, ok := parseHours(time.Weekday(d), text)
		if !ok {
			l.Add("hours_"+strconv.Itoa(d), "response_dispatch.responder.hours_invalid")
			continue
		}
		f.hours = append(f.hours, shifts...)
	}
	f.hours = mergeShifts(f.hours)
	return f, l.Err()
}

// parseHours reads one day's ranges: "8-12", "08:00-12:30", "18-2" (into the next day),
// separated by commas or semicolons.
func parseHours(day time.Weekday, text string) ([]Shift, bool) {
	if len(text) > maxHoursText {
		return nil, false
	}
	var out []Shift
	items := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' })
	if len(items) > maxShiftsPerDay {
		return nil, false
	}
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		from, to, found := strings.Cut(strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(item), "-")
		if !found {
			return nil, false
		}
		start, ok1 := parseClock(from)
		end, ok2 := parseClock(to)
		if !ok1 || !ok2 || start == end || start == 1440 {
			return nil, false
		}
		if end > start {
			out = append(out, Shift{Day: day, Start: start, End: end})
			continue
		}
		out = append(out, Shift{Day: day, Start: start, End: 1440})
		if end > 0 {
			out = append(out, Shift{Day: (day + 1) % 7, Start: 0, End: end})
		}
	}
	return out, true
}

// parseClock reads "8", "08", "8:30", "08:30" or "24" as minutes after midnight.
func parseClock(s string) (int, bool) {
	h, m, hasMin := strings.Cut(s, ":")
	if h == "" || len(h) > 2 || !allASCIIDigits(h) {
		return 0, false
	}
	hour, _ := strconv.Atoi(h)
	minute := 0
	if hasMin {
		if len(m) != 2 || !allASCIIDigits(m) {
			return 0, false
		}
		minute, _ = strconv.Atoi(m)
	}
	if hour > 24 || minute > 59 || hour == 24 && minute != 0 {
		return 0, false
	}
	return hour*60 + minute, true
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mergeShifts sorts shifts and joins those of a day that overlap or touch.
func mergeShifts(in []Shift) []Shift {
	slices.SortFunc(in, func(a, b Shift) int {
		if a.Day != b.Day {
			return int(a.Day) - int(b.Day)
		}
		return a.Start - b.Start
	})
	var out []Shift
	for _, sh := range in {
		if n := len(out); n > 0 && out[n-1].Day == sh.Day && sh.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, sh.End)
			continue
		}
		out = append(out, sh)
	}
	return out
}

// responderPersonRef reads the Person field: an id, or a normalized e-mail address.
func responderPersonRef(s string) (id int64, email string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", false
	}
	if allASCIIDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, "", err == nil && n > 0
	}
	e, ok := people.NormalizeEmail(s)
	return 0, e, ok
}

// CountyLabel names a county zone for people: "Los Angeles, CA (06037)"; the code alone
// when the gazetteer does not know it.
func CountyLabel(fips string) string {
	c, ok := geo.CountyOf(fips)
	if !ok {
		return fips
	}
	return c.Name + ", " + c.State + " (" + c.FIPS + ")"
}

// responderObject is how audit entries name a responder.
func responderObject(id int64) string { return fmt.Sprintf("responder:%d", id) }
