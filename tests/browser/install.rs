//! The web app can be installed from the browser: the page names a manifest and a theme
//! colour; the manifest is served to a visitor without a session and holds what browsers ask
//! for (name, start URL, standalone display, 192 and 512 px PNG icons), and each icon loads
//! at its declared size.

use crate::support::browser_test;

const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
#[ignore = "needs the dx build: run scripts/test"]
async fn the_manifest_is_served_and_describes_an_installable_app() {
    browser_test("install", PHONE, |b| async move {
        // Signed out: the sign-in page is where an installed app first opens.
        b.open("/login").await;
        b.wait_for(r#"link[rel="manifest"]"#).await;
        let answer = b
            .client
            .execute_async(
                r#"const done = arguments[0];
                   const link = document.querySelector('link[rel="manifest"]');
                   const theme = document.querySelector('meta[name="theme-color"]');
                   fetch(link.href, { credentials: 'omit' }).then(r =>
                     r.json().then(m => Promise.all(m.icons.map(i => new Promise(ok => {
                       const img = new Image();
                       img.onload = () => ok(i.sizes === img.naturalWidth + 'x' + img.naturalHeight);
                       img.onerror = () => ok(false);
                       img.src = i.src;
                     }))).then(loaded => done({
                       status: r.status, type: r.headers.get('content-type'),
                       theme: theme && theme.content, manifest: m, loaded }))));"#,
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(answer["status"], 200);
        assert_eq!(answer["type"], "application/manifest+json");
        let m = &answer["manifest"];
        assert_eq!(m["short_name"], "Sales");
        assert!(m["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert_eq!(m["start_url"], "/");
        assert_eq!(m["display"], "standalone");
        assert_eq!(answer["theme"], m["theme_color"], "the page and the manifest agree");
        let sizes: Vec<&str> = m["icons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == "image/png")
            .map(|i| i["sizes"].as_str().unwrap())
            .collect();
        assert!(sizes.contains(&"192x192") && sizes.contains(&"512x512"), "{sizes:?}");
        let loaded = answer["loaded"].as_array().unwrap();
        assert!(
            loaded.iter().all(|ok| ok == true),
            "every icon loads at its size: {loaded:?}"
        );
    })
    .await;
}
