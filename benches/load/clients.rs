//! Client scenarios: a generator for many clients (through the real CSV import), the timed
//! 10k-row import over HTTP, and list and search loads.

use std::time::Instant;

use sea_orm::DatabaseConnection;

use crate::{cycle, load};

const ADJECTIVES: [&str; 24] = [
    "Northern", "Golden", "Silver", "Bright", "Royal", "Green", "Blue", "Iron", "Coastal", "Urban",
    "Rapid", "Summit", "Harbor", "Maple", "Cedar", "Granite", "Crystal", "Eastern", "Western",
    "Central", "Pioneer", "Atlas", "Orion", "Vector",
];
const NOUNS: [&str; 20] = [
    "Bakery",
    "Hardware",
    "Logistics",
    "Textiles",
    "Foods",
    "Pharmacy",
    "Garden",
    "Motors",
    "Print",
    "Electrical",
    "Furniture",
    "Outfitters",
    "Dairy",
    "Books",
    "Marine",
    "Florists",
    "Builders",
    "Optics",
    "Coffee",
    "Tools",
];
/// One in five names ends in "Trading": the common-word search worst case (20 % of rows).
const SUFFIXES: [&str; 5] = ["Ltd", "GmbH", "Trading", "& Sons", "Co"];
const CITIES: [&str; 50] = [
    "Berlin",
    "Hamburg",
    "Munich",
    "Cologne",
    "Frankfurt",
    "Stuttgart",
    "Leipzig",
    "Dresden",
    "Bremen",
    "Hanover",
    "Paris",
    "Lyon",
    "Marseille",
    "Lille",
    "Nantes",
    "Madrid",
    "Seville",
    "Valencia",
    "Bilbao",
    "Lisbon",
    "Porto",
    "Rome",
    "Milan",
    "Turin",
    "Naples",
    "Vienna",
    "Graz",
    "Zurich",
    "Geneva",
    "Basel",
    "Amsterdam",
    "Utrecht",
    "Rotterdam",
    "Brussels",
    "Antwerp",
    "Ghent",
    "Dublin",
    "Cork",
    "London",
    "Bristol",
    "Leeds",
    "Glasgow",
    "Oslo",
    "Bergen",
    "Stockholm",
    "Malmo",
    "Copenhagen",
    "Aarhus",
    "Warsaw",
    "Krakow",
];
const FIRST: [&str; 12] = [
    "Anna", "Ben", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira",
    "Luca",
];
const LAST: [&str; 12] = [
    "Meyer", "Okafor", "Rossi", "Novak", "Dubois", "Silva", "Kowalski", "Jensen", "Ahmed",
    "Garcia", "Larsen", "Weber",
];

/// A fixed scramble of `i` (splitmix64), for attributes that should not follow the name.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// CSV of clients `from..to`: unique names and emails, shared cities and words.
pub fn csv_rows(from: usize, to: usize, tag: &str) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "name",
        "contact",
        "email",
        "phone",
        "billing_address",
        "payment_terms_days",
    ])
    .unwrap();
    for i in from..to {
        let name = format!(
            "{} {} {} {tag}{i}",
            ADJECTIVES[i % 24],
            NOUNS[(i / 24) % 20],
            SUFFIXES[(i / 480) % 5]
        );
        let contact = format!("{} {}", FIRST[i % 12], LAST[(i / 12) % 12]);
        let email = format!(
            "buyer{i}@{}{tag}{i}.example",
            NOUNS[(i / 24) % 20].to_lowercase()
        );
        let phone = format!("+49 {} {:06}", 30 + i % 70, i);
        // The city is independent of the name (a hash, not i % 50, which would line cities up
        // with the name order and make every city's clients one block of the sorted list).
        let city = CITIES[(mix(i as u64) % 50) as usize];
        let address = format!(
            "{} Market Street\n{:05} {city}",
            1 + i % 300,
            10_000 + i % 90_000
        );
        w.write_record([&name, &contact, &email, &phone, &address, "30"])
            .unwrap();
    }
    w.into_inner().unwrap()
}

/// Generator: `n` clients through the library's own import, 10k to a transaction.
pub async fn generate(db: &DatabaseConnection, n: usize) {
    let started = Instant::now();
    for from in (0..n).step_by(10_000) {
        let file = csv_rows(from, (from + 10_000).min(n), "g");
        sales::clients::csv::import(db, sales::audit::Actor::new(1), &file)
            .await
            .expect("generate clients");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {n} clients in {secs:.2} s ({:.0} rows/s)",
        n as f64 / secs
    );
}

/// Times `runs` uploads of a fresh 10k-row file to the import endpoint, end to end.
pub async fn time_imports(client: &reqwest::Client, base: &str, runs: usize) {
    let mut times = Vec::new();
    for run in 0..runs {
        let file = csv_rows(0, 10_000, &format!("imp{run}x"));
        let size = file.len();
        let t = Instant::now();
        let res = client
            .post(format!("{base}/api/clients/import"))
            .header(
                crate::accounts::CLIENT_HEADER.0,
                crate::accounts::CLIENT_HEADER.1,
            )
            .header("Content-Type", "application/octet-stream")
            .body(file)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body = res.text().await.unwrap();
        assert!(status.is_success(), "import failed: {status} {body}");
        times.push(t.elapsed().as_secs_f64());
        if run == 0 {
            println!("import file: 10,000 rows, {:.1} MB", size as f64 / 1e6);
        }
    }
    let shown: Vec<String> = times.iter().map(|s| format!("{s:.2}")).collect();
    println!(
        "import of 10,000 rows over HTTP (s, {runs} runs): {}",
        shown.join(" ")
    );
}

/// The list and search scenarios over the generated clients.
pub async fn scenarios(client: &reqwest::Client, base: &str, n: usize, requests: usize, c: usize) {
    load(
        "client list (API)",
        client,
        base,
        "/api/clients/?q=",
        requests,
        c,
    )
    .await
    .print();
    load(
        "client list page (SSR)",
        client,
        base,
        "/clients",
        requests,
        c,
    )
    .await
    .print();
    // A page deep in the list: the keyset cursor is the id of a client in the middle.
    let deep = format!("/api/clients/?after={}", n / 2);
    load("client list, deep page", client, base, &deep, requests, c)
        .await
        .print();

    let rare: Vec<String> = (0..500)
        .map(|k| format!("/api/clients/?q=g{}", (k * 7919) % n))
        .collect();
    cycle("search: unique word", client, base, &rare, requests, c)
        .await
        .print();
    let cities: Vec<String> = CITIES
        .iter()
        .map(|c| format!("/api/clients/?q={c}"))
        .collect();
    cycle("search: city (2% rows)", client, base, &cities, requests, c)
        .await
        .print();
    cycle(
        "search: trading (20%)",
        client,
        base,
        &["/api/clients/?q=trading".to_string()],
        requests,
        c,
    )
    .await
    .print();
    let two: Vec<String> = CITIES
        .iter()
        .zip(NOUNS.iter().cycle())
        .map(|(c, w)| format!("/api/clients/?q={w}+{c}"))
        .collect();
    cycle("search: two words", client, base, &two, requests, c)
        .await
        .print();
    let short: Vec<String> = ["ab", "er", "xq", "mi"]
        .iter()
        .map(|s| format!("/api/clients/?q={s}"))
        .collect();
    cycle(
        "search: 2 letters (prefix)",
        client,
        base,
        &short,
        requests,
        c,
    )
    .await
    .print();
    let pages: Vec<String> = CITIES.iter().map(|c| format!("/clients?q={c}")).collect();
    cycle("search page (SSR)", client, base, &pages, requests, c)
        .await
        .print();
}
