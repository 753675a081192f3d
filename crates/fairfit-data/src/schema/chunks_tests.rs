//! Tests of the input formats, chunked reading and the encoder fitted over chunks.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use std::io::Write;
use std::path::PathBuf;

use super::*;
use crate::DataError;

/// A fresh directory for one test's files.
fn dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fairfit-chunks-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 10 rows: a float, a nullable text and a label, as CSV text and as Parquet columns.
fn cells() -> Vec<(f64, Option<String>, i64)> {
    (0..10)
        .map(|i| {
            let x = (i as f64 - 4.5) / 3.0;
            let g = (i % 4 != 3).then(|| ["a", "b b", "c,\"d\""][i % 3].to_string());
            (x, g, i64::from(i % 2 == 0))
        })
        .collect()
}

fn write_csv(path: &PathBuf) -> String {
    let mut text = String::from("x,g,y\n");
    for (x, g, y) in cells() {
        let g = g.map_or(String::new(), |g| format!("\"{}\"", g.replace('"', "\"\"")));
        text.push_str(&format!("{x},{g},{y}\n"));
    }
    std::fs::write(path, &text).unwrap();
    text
}

fn write_gzip(path: &PathBuf, text: &str) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

/// The same cells in row groups of 4, 4 and 2 rows.
fn write_parquet(path: &PathBuf) {
    let kinds = [
        ("x", ParquetKind::Double),
        ("g", ParquetKind::Text),
        ("y", ParquetKind::Int64),
    ];
    let mut writer = ParquetWriter::create(path, &kinds).unwrap();
    for group in cells().chunks(4) {
        writer
            .write(&[
                ParquetColumn::Double(group.iter().map(|c| c.0).collect()),
                ParquetColumn::Text(group.iter().map(|c| c.1.clone()).collect()),
                ParquetColumn::Int64(group.iter().map(|c| c.2).collect()),
            ])
            .unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn every_format_reads_the_same_cells_in_chunks_with_their_lines() {
    let dir = dir("formats");
    let (csv, gz, pq) = (
        dir.join("t.csv"),
        dir.join("t.csv.gz"),
        dir.join("t.parquet"),
    );
    let text = write_csv(&csv);
    write_gzip(&gz, &text);
    write_parquet(&pq);
    let opts = CsvOptions::default();
    let plain = RawTable::open(&csv, &opts).unwrap();
    assert_eq!(plain, RawTable::read(&csv, &opts).unwrap());
    assert_eq!(plain.rows()[3].fields(), ["-0.5", "", "0"]);
    for (path, format, first_line) in [
        (&csv, TableFormat::Csv, 2),
        (&gz, TableFormat::GzipCsv, 2),
        (&pq, TableFormat::Parquet, 1),
    ] {
        let whole = RawTable::open(path, &opts).unwrap();
        assert_eq!(whole.columns(), ["x", "g", "y"], "{format}");
        let fields: Vec<&[String]> = whole.rows().iter().map(RawRow::fields).collect();
        let expected: Vec<&[String]> = plain.rows().iter().map(RawRow::fields).collect();
        assert_eq!(fields, expected, "{format}");
        // Chunks of 3 cross the Parquet row groups (4, 4, 2); every pass starts afresh.
        let chunked = ChunkedTable::open(path, &opts, 3).unwrap();
        assert_eq!(chunked.format(), format);
        for _pass in 0..2 {
            let chunks: Vec<RawTable> = chunked.chunks().unwrap().map(Result::unwrap).collect();
            assert_eq!(
                chunks.iter().map(RawTable::len).collect::<Vec<_>>(),
                [3, 3, 3, 1]
            );
            let lines: Vec<u64> = chunks
                .iter()
                .flat_map(|c| c.rows().iter().map(RawRow::line))
                .collect();
            let want: Vec<u64> = (first_line..first_line + 10).collect();
            assert_eq!(lines, want, "{format}");
            let rows: Vec<RawRow> = chunks.into_iter().flat_map(|c| c.rows().to_vec()).collect();
            assert_eq!(
                rows.iter().map(RawRow::fields).collect::<Vec<_>>(),
                expected
            );
        }
    }
    assert!(ChunkedTable::open(&csv, &opts, 0).is_err());
}

#[test]
fn corrupt_files_are_format_errors_naming_the_file() {
    let dir = dir("corrupt");
    let opts = CsvOptions::default();
    let format_error = |path: &PathBuf| match RawTable::open(path, &opts) {
        Err(e @ DataError::Format { .. }) => {
            let message = e.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            message
        }
        other => panic!("{}: expected a format error, got {other:?}", path.display()),
    };
    // A `.gz` that is plain text, and a `.parquet` that is CSV.
    let fake_gz = dir.join("fake.csv.gz");
    std::fs::write(&fake_gz, "x,y\n1,2\n").unwrap();
    assert!(format_error(&fake_gz).contains("gzip"));
    let fake_pq = dir.join("fake.parquet");
    std::fs::write(&fake_pq, "x,y\n1,2\n").unwrap();
    assert!(format_error(&fake_pq).contains("Parquet"));
    // A gzip stream cut in the middle.
    let text: String = (0..20_000).map(|i| format!("{i},{}\n", i * 7)).collect();
    let whole = dir.join("whole.csv.gz");
    write_gzip(&whole, &format!("a,b\n{text}"));
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.join("cut.csv.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    format_error(&cut);
    // Parquet: garbage after the signature, and a file without its footer.
    let garbage = dir.join("garbage.parquet");
    std::fs::write(&garbage, b"PAR1 this is not a parquet file PAR1").unwrap();
    format_error(&garbage);
    let good = dir.join("good.parquet");
    write_parquet(&good);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.join("truncated.parquet");
    std::fs::write(&truncated, &bytes[..bytes.len() - 12]).unwrap();
    format_error(&truncated);
    // A ragged CSV line inside a gzip stream still names its line.
    let ragged = dir.join("ragged.csv.gz");
    write_gzip(&ragged, "a,b\n1,2\n3\n");
    match RawTable::open(&ragged, &opts) {
        Err(DataError::Ragged { position, .. }) => assert_eq!(position.line, 3),
        other => panic!("{other:?}"),
    }
}

/// The encoder fitted over chunks of any size equals the one fitted on the whole table.
fn assert_fit_chunks_equals_fit(path: &PathBuf, opts: &CsvOptions, schema: &Schema) {
    let whole = Encoder::fit(schema, &RawTable::open(path, opts).unwrap()).unwrap();
    for chunk_rows in [1, 7, 1000, usize::MAX] {
        let table = ChunkedTable::open(path, opts, chunk_rows).unwrap();
        let streamed = Encoder::fit_chunks(schema, &table).unwrap();
        assert_eq!(streamed, whole, "chunks of {chunk_rows}");
    }
}

#[test]
fn the_encoder_fitted_over_chunks_equals_the_in_memory_fit() {
    let adult = crate::reference::test_support::dir().join("adult.data");
    let raw = crate::reference::adult_raw(crate::reference::test_support::dir()).unwrap();
    let opts = CsvOptions::default()
        .no_headers(raw.train.columns())
        .comment(b'|');
    assert_fit_chunks_equals_fit(&adult, &opts, &raw.schema);
    // Imputation (means and modes of the observed values), an indicator, fixed levels.
    let dir = dir("encoder");
    let path = dir.join("impute.csv.gz");
    let mut text = String::from("age,job,smoker,sex,y\n");
    for i in 0..500u32 {
        let age = if i % 11 == 0 {
            "?".to_string()
        } else {
            format!("{}.{}", 18 + (i * 37) % 60, i % 10)
        };
        let job = if i % 13 == 0 {
            "?"
        } else {
            ["a", "b", "c", "d"][(i * i % 7 % 4) as usize]
        };
        let smoker = ["yes", "no"][(i % 3 == 0) as usize];
        let sex = ["F", "M"][(i % 5 < 2) as usize];
        text.push_str(&format!("{age},{job},{smoker},{sex},{}\n", i * 31 % 3 == 0));
    }
    write_gzip(&path, &text);
    let schema = Schema::builder()
        .label("y", "true")
        .sensitive_levels("sex", &["M", "F", "X"])
        .numeric(&["age"])
        .categorical(&["job"])
        .indicator("smoker", "yes")
        .missing("?", MissingPolicy::Impute)
        .build()
        .unwrap();
    assert_fit_chunks_equals_fit(&path, &CsvOptions::default(), &schema);
    // A label that is not binary (here: hundreds of ages) is refused over chunks too.
    let bad = Schema::builder()
        .label("age", "30.0")
        .sensitive("sex")
        .indicator("smoker", "yes")
        .ignore_others()
        .build()
        .unwrap();
    let table = ChunkedTable::open(&path, &CsvOptions::default(), 50).unwrap();
    assert!(matches!(
        Encoder::fit_chunks(&bad, &table),
        Err(DataError::LabelValues { .. })
    ));
}

/// The encoder fitted on the whole file as text, and the file in chunks of `rows` read twice:
/// as text, and with the schema's numeric columns read as numbers (after checking that
/// `Encoder::fit_chunks` equals `Encoder::fit`).
fn text_and_typed(
    path: &PathBuf,
    schema: &Schema,
    rows: usize,
) -> (Encoder, ChunkedTable, ChunkedTable) {
    let opts = CsvOptions::default();
    assert_fit_chunks_equals_fit(path, &opts, schema);
    let encoder = Encoder::fit(schema, &RawTable::open(path, &opts).unwrap()).unwrap();
    let text = ChunkedTable::open(path, &opts, rows).unwrap();
    let typed = text.clone().numbers_for(schema);
    (encoder, text, typed)
}

/// Every encoded value of `data`, as bits.
fn bits(data: &crate::FairDataset) -> Vec<u64> {
    data.records().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn numbers_read_straight_from_parquet_encode_as_their_text_does() {
    let dir = dir("numbers");
    let path = dir.join("numbers.parquet");
    let kinds = [
        ("x", ParquetKind::NullableDouble),
        ("n", ParquetKind::Int64),
        ("g", ParquetKind::Text),
        ("y", ParquetKind::Int64),
    ];
    let rows: Vec<i64> = (0..300).collect();
    let mut writer = ParquetWriter::create(&path, &kinds).unwrap();
    for group in rows.chunks(64) {
        writer
            .write(&[
                ParquetColumn::NullableDouble(
                    group
                        .iter()
                        .map(|&i| (i % 7 != 0).then(|| (i as f64).sin() * 1e3 / 7.0))
                        .collect(),
                ),
                ParquetColumn::Int64(group.iter().map(|&i| i * i - 150 * i).collect()),
                ParquetColumn::Text(
                    group
                        .iter()
                        .map(|&i| Some(["a", "b"][(i % 2) as usize].to_string()))
                        .collect(),
                ),
                ParquetColumn::Int64(group.iter().map(|&i| i64::from(i % 3 == 0)).collect()),
            ])
            .unwrap();
    }
    writer.finish().unwrap();
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("g")
        .numeric(&["x", "n"])
        .missing("", MissingPolicy::Impute)
        .build()
        .unwrap();
    // fit_chunks reads x and n as numbers; the whole table is text: the same encoder.
    let (encoder, text, typed) = text_and_typed(&path, &schema, 50);
    let opts = CsvOptions::default();
    for (a, b) in text.chunks().unwrap().zip(typed.chunks().unwrap()) {
        let (a, b) = (a.unwrap(), b.unwrap());
        let x = a.column_index("x").unwrap();
        for (ra, rb) in a.rows().iter().zip(b.rows()) {
            // Row i (line i + 1) is null when i % 7 == 0: the marker's text, else no text.
            let null = (rb.line() - 1) % 7 == 0;
            assert_eq!(b.text(rb, x), null.then_some(""), "line {}", rb.line());
            assert!(a.text(ra, x).is_some());
        }
        let (ea, eb) = (
            encoder.transform(&a).unwrap(),
            encoder.transform(&b).unwrap(),
        );
        assert_eq!(bits(&ea), bits(&eb));
        assert_eq!(ea.targets(), eb.targets());
        assert_eq!(
            encoder.transform_features(&a).unwrap(),
            encoder.transform_features(&b).unwrap()
        );
    }
    // A stored NaN is refused as its text is, with the same message and place.
    let nan = dir.join("nan.parquet");
    let mut writer = ParquetWriter::create(&nan, &kinds).unwrap();
    writer
        .write(&[
            ParquetColumn::NullableDouble(vec![Some(1.0), Some(f64::NAN), Some(2.0)]),
            ParquetColumn::Int64(vec![1, 2, 3]),
            ParquetColumn::Text(vec![Some("a".into()), Some("b".into()), Some("a".into())]),
            ParquetColumn::Int64(vec![0, 1, 1]),
        ])
        .unwrap();
    writer.finish().unwrap();
    let from_text = Encoder::fit(&schema, &RawTable::open(&nan, &opts).unwrap()).unwrap_err();
    let typed = Encoder::fit_chunks(&schema, &ChunkedTable::open(&nan, &opts, 2).unwrap());
    assert_eq!(typed.unwrap_err().to_string(), from_text.to_string());
    assert!(from_text.to_string().contains("line 2"), "{from_text}");
}

/// Writes a Parquet file whose numeric columns are stored as FLOAT, INT32 and an INT32
/// DECIMAL(9, 2), nullable, with the parquet crate's own writer (fairfit's writes only DOUBLE,
/// INT64 and text), plus a text group and an INT32 label.
fn write_typed_parquet(path: &std::path::Path, rows: i32) {
    use parquet::data_type::{ByteArray, ByteArrayType, FloatType, Int32Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;
    let schema = parse_message_type(
        "message schema {
            OPTIONAL FLOAT f;
            OPTIONAL INT32 i;
            OPTIONAL INT32 d (DECIMAL(9, 2));
            REQUIRED BYTE_ARRAY g (UTF8);
            REQUIRED INT32 y;
        }",
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let properties = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema), properties).unwrap();
    let all: Vec<i32> = (0..rows).collect();
    for group in all.chunks(37) {
        let levels: Vec<i16> = group.iter().map(|&i| i16::from(i % 5 != 0)).collect();
        let present: Vec<i32> = group.iter().copied().filter(|i| i % 5 != 0).collect();
        let mut row_group = writer.next_row_group().unwrap();
        for column in 0..5 {
            let mut w = row_group.next_column().unwrap().unwrap();
            match column {
                0 => {
                    let v: Vec<f32> = present.iter().map(|&i| (i as f32).sqrt() / 3.0).collect();
                    w.typed::<FloatType>()
                        .write_batch(&v, Some(&levels), None)
                        .unwrap();
                }
                1 => {
                    let v: Vec<i32> = present.iter().map(|&i| i * 7919 - 100_000).collect();
                    w.typed::<Int32Type>()
                        .write_batch(&v, Some(&levels), None)
                        .unwrap();
                }
                2 => {
                    let v: Vec<i32> = present.iter().map(|&i| i * 131 - 2_500).collect();
                    w.typed::<Int32Type>()
                        .write_batch(&v, Some(&levels), None)
                        .unwrap();
                }
                3 => {
                    let v: Vec<ByteArray> = group
                        .iter()
                        .map(|&i| ByteArray::from(["a", "b"][(i % 2) as usize]))
                        .collect();
                    w.typed::<ByteArrayType>()
                        .write_batch(&v, None, None)
                        .unwrap();
                }
                _ => {
                    let v: Vec<i32> = group.iter().map(|&i| i32::from(i % 3 == 0)).collect();
                    w.typed::<Int32Type>().write_batch(&v, None, None).unwrap();
                }
            }
            w.close().unwrap();
        }
        row_group.close().unwrap();
    }
    writer.close().unwrap();
}

/// The fast path for FLOAT, INT32 and DECIMAL columns read from a real file: the same encoded
/// values, bit for bit, as the text path, nulls read as the missing marker.
#[test]
fn float_int32_and_decimal_columns_read_as_their_text_does() {
    let dir = dir("typed");
    let path = dir.join("typed.parquet");
    write_typed_parquet(&path, 200);
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("g")
        .numeric(&["f", "i", "d"])
        .missing("", MissingPolicy::Impute)
        .build()
        .unwrap();
    let (encoder, text, typed) = text_and_typed(&path, &schema, 45);
    let mut chunks = 0;
    for (a, b) in text.chunks().unwrap().zip(typed.chunks().unwrap()) {
        let (a, b) = (a.unwrap(), b.unwrap());
        let d = a.column_index("d").unwrap();
        for (ra, rb) in a.rows().iter().zip(b.rows()) {
            let null = (rb.line() - 1) % 5 == 0;
            assert_eq!(b.text(rb, d), null.then_some(""), "line {}", rb.line());
            if !null {
                // DECIMAL(9, 2): the stored integer over 100, as text.
                let i = rb.line() as i64 - 1;
                let stored = i * 131 - 2_500;
                let expected: f64 = format!("{}", stored as f64 / 100.0).parse().unwrap();
                let read: f64 = a.text(ra, d).unwrap().parse().unwrap();
                assert_eq!(read, expected, "line {}", rb.line());
            }
        }
        assert_eq!(
            bits(&encoder.transform(&a).unwrap()),
            bits(&encoder.transform(&b).unwrap())
        );
        chunks += 1;
    }
    assert_eq!(chunks, 5);
}
