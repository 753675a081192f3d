//! Audits the three reference data sets before any model: group sizes and shares, base rates and
//! the 80% rule, missingness by group, and the features that act as proxies for the sensitive
//! attribute. Prints each audit as a table and writes `results/data_audit/<data>_<attribute>.json`.
//!
//! Run with `cargo run --release --example data_audit`.

use std::path::Path;

use fairfit::data::audit::{DataAudit, Missingness};
use fairfit::data::reference::{self, RawSplit};

fn main() -> fairfit::Result<()> {
    let dir = reference::datasets_dir();
    let out = Path::new("results/data_audit");
    std::fs::create_dir_all(out)?;
    let sets: [(&str, RawSplit, [&str; 2]); 3] = [
        ("adult", reference::adult_raw(&dir)?, ["sex", "race"]),
        ("compas", reference::compas_raw(&dir)?, ["race", "sex"]),
        ("german", reference::german_raw(&dir)?, ["sex", "age_group"]),
    ];
    for (name, raw, attributes) in sets {
        let (_, split) = raw.encode()?;
        for attribute in attributes {
            let train = split.train.clone().with_groups_from(&[attribute])?;
            let missing = Missingness::by(&raw.train, &raw.schema, attribute)?;
            let audit = DataAudit::of(format!("{name} train, groups by `{attribute}`"), &train)?
                .with_missingness(missing);
            println!("{audit}");
            let path = out.join(format!("{name}_{attribute}.json"));
            std::fs::write(&path, audit.to_json()?)?;
            println!("  wrote {}\n", path.display());
        }
    }
    Ok(())
}
