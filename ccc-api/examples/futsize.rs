fn main() {
    let client = ccc_api::Client::builder()
        .credentials(ccc_api::Credentials::new("AKIDx", "k"))
        .endpoint_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    let fut = client
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(3)
        .send();
    println!("send future: {} bytes", std::mem::size_of_val(&fut));
    let http = reqwest::Client::new();
    let raw = http.post("http://127.0.0.1:9/").body("x").send();
    println!("reqwest send future: {} bytes", std::mem::size_of_val(&raw));
    let raw2 = async move {
        let r = http
            .post("http://127.0.0.1:9/")
            .body("x")
            .send()
            .await
            .unwrap();
        r.bytes().await.unwrap()
    };
    println!(
        "reqwest send+bytes future: {} bytes",
        std::mem::size_of_val(&raw2)
    );
}
