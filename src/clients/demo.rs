//! About fifty believable demo clients for `scripts/run`, written through the normal service
//! (so the same rules, search text and audit events apply).

use super::ClientForm;
use crate::audit::Actor;
use crate::error::AppResult;
use crate::server::AppState;

const COMPANIES: [&str; 50] = [
    "Northwind Traders",
    "Contoso Retail",
    "Fabrikam Office Supply",
    "Adventure Works Cycles",
    "Tailspin Toys",
    "Wide World Importers",
    "Litware Systems",
    "Proseware Labs",
    "Alpine Ski House",
    "Coho Winery",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lucerne Publishing",
    "Margie's Travel",
    "Blue Yonder Airlines",
    "Trey Research",
    "Woodgrove Bank",
    "Southridge Video",
    "City Power & Light",
    "Consolidated Messenger",
    "Datum Corporation",
    "Nod Publishers",
    "Relecloud",
    "VanArsdel Ltd",
    "Bellows College",
    "Best For You Organics",
    "Boulder Innovations",
    "Munson's Pickles and Preserves",
    "Lamna Healthcare",
    "Liberty's Delightful Sinful Bakery",
    "Baldwin Museum of Science",
    "Hanover Hardware",
    "Kestrel Marine Supply",
    "Orchard Lane Grocers",
    "Pinewood Furniture",
    "Quayside Fishmongers",
    "Riverbend Garden Centre",
    "Saffron Street Kitchen",
    "Thornbury Builders",
    "Union Square Florists",
    "Valley Fresh Dairy",
    "Westgate Pharmacy",
    "Yellowstone Outfitters",
    "Zenith Print Works",
    "Harbour Light Hotels",
    "Copperfield Books",
    "Meadowbrook Veterinary",
    "Ironbridge Engineering",
    "Silverline Logistics",
];

const CONTACTS: [&str; 10] = [
    "Maria Garcia",
    "James Okafor",
    "Sofia Rossi",
    "Liam Chen",
    "Amelia Novak",
    "Noah Fischer",
    "Chloe Dubois",
    "Ethan Kowalski",
    "Aisha Rahman",
    "Lucas Silva",
];

/// (street, postcode and city, dialling prefix)
const PLACES: [(&str, &str, &str); 10] = [
    ("12 Harbour Road", "BS1 4RN Bristol", "+44 117"),
    ("Friedrichstraße 88", "10117 Berlin", "+49 30"),
    ("27 Rue de la Paix", "75002 Paris", "+33 1"),
    ("Via Torino 41", "20123 Milano", "+39 02"),
    ("455 Market Street", "San Francisco, CA 94105", "+1 415"),
    ("Keizersgracht 174", "1016 DW Amsterdam", "+31 20"),
    ("Calle de Alcalá 50", "28014 Madrid", "+34 91"),
    ("ul. Marszałkowska 10", "00-590 Warszawa", "+48 22"),
    ("Drottninggatan 33", "111 51 Stockholm", "+46 8"),
    ("88 Collins Street", "Melbourne VIC 3000", "+61 3"),
];

fn demo_form(i: usize, company: &str) -> ClientForm {
    let (street, city, prefix) = PLACES[i % PLACES.len()];
    let domain: String = company
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(18)
        .collect();
    let billing = format!("{street}\n{city}");
    ClientForm {
        name: company.to_string(),
        contact: CONTACTS[(i * 7) % CONTACTS.len()].to_string(),
        // A few clients have no email, as in real life.
        email: if i % 9 == 4 {
            String::new()
        } else {
            format!("orders@{domain}.example.com")
        },
        phone: format!(
            "{prefix} {:03} {:04}",
            200 + i * 13 % 700,
            1000 + i * 379 % 9000
        ),
        // Every fifth client ships to a warehouse rather than the office.
        shipping_address: if i % 5 == 2 {
            format!("Goods-in, Unit {}\nIndustrial Estate\n{city}", i + 3)
        } else {
            String::new()
        },
        billing_address: billing,
        tax_id: if i.is_multiple_of(4) {
            String::new()
        } else {
            format!("VAT{:09}", 100_000_000 + i * 7_654_321 % 900_000_000)
        },
        payment_terms_days: [30, 14, 30, 60, 0, 45][i % 6],
        notes: match i % 8 {
            1 => "Prefers delivery before 10 am.".into(),
            3 => "Quarterly volume discount agreed.".into(),
            _ => String::new(),
        },
    }
}

/// Creates the demo clients as `actor`; two are archived so that view is not empty.
pub async fn seed(state: &AppState, actor: Actor) -> AppResult<()> {
    let db = &state.db;
    for (i, company) in COMPANIES.iter().enumerate() {
        let c = super::service::create(db, actor, demo_form(i, company)).await?;
        if i % 25 == 24 {
            super::service::set_active(db, actor, c.id, false).await?;
        }
    }
    Ok(())
}
