package auth

import "strings"

// agentLabel reduces a User-Agent header to a coarse "browser · system" label for the list
// of sessions ("Firefox · Android"), dropping versions and device models that would help
// fingerprint a person. It returns "" when it recognizes nothing.
func agentLabel(ua string) string {
	if len(ua) > 512 {
		ua = ua[:512]
	}
	browser := firstMatch(ua, [][2]string{
		{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
		{"OPR/", "Opera"}, {"Opera", "Opera"},
		{"SamsungBrowser/", "Samsung Internet"},
		{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"},
		{"curl/", "curl"},
	})
	system := firstMatch(ua, [][2]string{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"},
		{"CrOS", "ChromeOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"},
		{"Linux", "Linux"},
	})
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "":
		return browser
	default:
		return system
	}
}

// firstMatch returns the label of the first marker found in ua.
func firstMatch(ua string, markers [][2]string) string {
	for _, m := range markers {
		if strings.Contains(ua, m[0]) {
			return m[1]
		}
	}
	return ""
}
