package db

// Month returns an SQL expression for the year and month (YYYY-MM) of a timestamp column.
func (d Dialect) Month(col string) string {
	if d == Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// Day returns an SQL expression for the date (YYYY-MM-DD) of a timestamp column.
func (d Dialect) Day(col string) string {
	if d == Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "substr(" + col + ", 1, 10)"
}

// Year returns an SQL expression for the year (YYYY) of a timestamp column.
func (d Dialect) Year(col string) string {
	if d == Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY')"
	}
	return "substr(" + col + ", 1, 4)"
}

// ILike returns the case-insensitive LIKE operator of the dialect.
func (d Dialect) ILike() string {
	if d == Postgres {
		return "ILIKE"
	}
	return "LIKE" // SQLite's LIKE is case-insensitive for ASCII
}
