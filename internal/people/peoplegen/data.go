package peoplegen

// region is a real US place the synthetic people live in.
type region struct {
	state, county, city, zip3, area string
}

var regions = []region{
	{"TX", "Travis", "Austin", "787", "512"}, {"TX", "Harris", "Houston", "770", "713"}, {"TX", "Dallas", "Dallas", "752", "214"},
	{"TX", "El Paso", "El Paso", "799", "915"}, {"TX", "Bexar", "San Antonio", "782", "210"}, {"TX", "Hidalgo", "McAllen", "785", "956"},
	{"CA", "Los Angeles", "Los Angeles", "900", "213"}, {"CA", "San Diego", "San Diego", "921", "619"}, {"CA", "Fresno", "Fresno", "937", "559"},
	{"CA", "Alameda", "Oakland", "946", "510"}, {"AZ", "Maricopa", "Phoenix", "850", "602"}, {"AZ", "Pima", "Tucson", "857", "520"},
	{"NY", "Queens", "Queens", "113", "718"}, {"NY", "Bronx", "Bronx", "104", "718"}, {"NJ", "Essex", "Newark", "071", "973"},
	{"IL", "Cook", "Chicago", "606", "312"}, {"FL", "Miami-Dade", "Miami", "331", "305"}, {"FL", "Orange", "Orlando", "328", "407"},
	{"GA", "Fulton", "Atlanta", "303", "404"}, {"NC", "Mecklenburg", "Charlotte", "282", "704"}, {"WA", "King", "Seattle", "981", "206"},
	{"WA", "Yakima", "Yakima", "989", "509"}, {"CO", "Denver", "Denver", "802", "303"}, {"NM", "Bernalillo", "Albuquerque", "871", "505"},
	{"NV", "Clark", "Las Vegas", "891", "702"}, {"OR", "Multnomah", "Portland", "972", "503"}, {"MA", "Suffolk", "Boston", "021", "617"},
	{"PA", "Philadelphia", "Philadelphia", "191", "215"}, {"MN", "Hennepin", "Minneapolis", "554", "612"}, {"TN", "Davidson", "Nashville", "372", "615"},
}

var givenES = []string{
	"María", "José", "Juan", "Ana", "Luis", "Carmen", "Carlos", "Rosa", "Jorge", "Guadalupe", "Miguel", "Elena", "Jesús", "Patricia",
	"Francisco", "Lucía", "Antonio", "Isabel", "Pedro", "Teresa", "Manuel", "Verónica", "Ricardo", "Alejandra", "Fernando", "Gabriela",
	"Roberto", "Daniela", "Javier", "Mariana", "Sergio", "Adriana", "Raúl", "Leticia", "Óscar", "Beatriz", "Andrés", "Claudia", "Héctor",
	"Silvia", "Arturo", "Mónica", "Alberto", "Sofía", "Rafael", "Valeria", "Eduardo", "Paola", "Diego", "Ximena", "Mario", "Martha",
	"Ramón", "Yolanda", "Enrique", "Norma", "Víctor", "Araceli", "Hugo", "Esperanza", "Marco Antonio", "María José", "Juan Carlos",
	"Ana María", "Luz", "Alma", "Iris", "Reyna", "Maribel", "Rocío", "Tomás", "Emilio", "Julio", "Salvador", "Ignacio", "Rubén",
}

var familyES = []string{
	"García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera",
	"Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Chávez", "Ramos", "Ruiz", "Mendoza", "Álvarez", "Castillo",
	"Jiménez", "Vásquez", "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Castro", "Guzmán", "Fernández", "Muñoz", "Salazar",
	"Rojas", "Contreras", "Ortega", "Estrada", "Soto", "Delgado", "Cortés", "Guerrero", "Navarro", "Ríos", "Campos", "Vega", "Núñez",
	"Domínguez", "Luna", "Juárez", "Espinoza", "Valdez", "Cabrera", "Fuentes", "Carrillo", "Sandoval", "Ibarra", "Pacheco", "Quintero",
}

var givenEN = []string{
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David", "Barbara", "Richard",
	"Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty",
	"Anthony", "Margaret", "Mark", "Sandra", "Paul", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kenneth", "Donna", "Joshua",
	"Michelle", "Kevin", "Dorothy", "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Ronald", "Deborah", "Amina", "Fatima",
	"Mohamed", "Omar", "Grace", "Samuel", "Esther", "Emmanuel", "Wei", "Mei", "Nguyen", "Priya", "Ravi", "Olena", "Andriy", "Jean",
}

var familyEN = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
	"Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
	"Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans",
	"Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Kim", "Tran", "Patel",
	"Okafor", "Mensah", "Haile", "Abdi", "Kowalski", "Shevchenko", "Dubois", "Joseph", "Pierre", "Chen", "Wang", "Singh", "Ali",
}

var streets = []string{
	"Main St", "Oak Ave", "Maple St", "Cedar Ln", "Elm St", "Pine St", "Washington Ave", "Lake St", "Hill Rd", "Park Ave",
	"César Chávez Blvd", "Río Grande St", "Mission St", "Alvarado St", "Broadway", "1st St", "2nd St", "Central Ave", "Church St", "Market St",
}

var domains = []string{"example.org", "example.net", "example.com", "mail.example.org", "correo.example.net"}

var orgWords = []string{"Casa", "Unidos", "Voces de", "Community Alliance", "Centro Legal", "Workers Center", "Faith Coalition", "Red Solidaria"}

var roles = []string{"Member", "Volunteer", "Coordinator", "Board member", "Staff"}

// tagNames are the tags handed out, with how many people in a thousand get each.
var tagNames = []struct {
	name     string
	perMille int
}{
	{"volunteer", 150}, {"donor", 100}, {"rapid-response", 30}, {"know-your-rights-trained", 60}, {"petition-signer", 250},
	{"event-attendee", 120}, {"legal-observer", 15}, {"spanish-speaker", 200}, {"board", 2}, {"press", 5}, {"faith-leader", 20}, {"youth", 80},
}
