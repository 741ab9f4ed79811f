//! The run manifest as Parquet (arrow + parquet crates, `parquet` feature):
//! the columns of [`super::rows`], nullable where the table says so,
//! embeddings as a fixed-size list of float32 (a variable list, all null,
//! when the run has none). `framesift.ray.row_schema` is the same schema.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::types::Float32Type;
use arrow_array::{
    ArrayRef, BooleanArray, FixedSizeListArray, Float64Array, Int64Array, ListArray, RecordBatch,
    StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::rows::ManifestRow;
use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// The Arrow schema of the manifest, with embeddings `dim` wide.
pub fn schema(dim: Option<usize>) -> Schema {
    let item = Arc::new(Field::new("item", DataType::Float32, true));
    let embedding = match dim {
        Some(d) => DataType::FixedSizeList(item, d as i32),
        None => DataType::List(item),
    };
    let text = |name: &str, null: bool| Field::new(name, DataType::Utf8, null);
    Schema::new(vec![
        text("command", false),
        text("video", false),
        text("video_dir", false),
        text("path", true),
        text("decision", false),
        text("reason", true),
        Field::new("time", DataType::Float64, false),
        Field::new("pts_time", DataType::Float64, true),
        Field::new("pts", DataType::Int64, true),
        Field::new("frame_index", DataType::UInt64, true),
        Field::new("decode_index", DataType::UInt64, true),
        Field::new("key_frame", DataType::Boolean, true),
        Field::new("scene", DataType::UInt64, true),
        Field::new("segment", DataType::UInt64, true),
        Field::new("span_start", DataType::Float64, true),
        Field::new("span_end", DataType::Float64, true),
        Field::new("score", DataType::Float64, true),
        Field::new("hash", DataType::UInt64, true),
        Field::new("embedding", embedding, true),
    ])
}

/// The rows as one record batch.
pub fn batch(rows: &[ManifestRow]) -> Result<RecordBatch> {
    let dims: Vec<usize> = rows
        .iter()
        .filter_map(|r| r.embedding.as_ref().map(Vec::len))
        .collect();
    let dim = dims.first().copied();
    if dims.iter().any(|&d| Some(d) != dim) {
        return Err(Error::config(
            "manifest",
            "parquet: the run's embeddings differ in width (mixed embedders?)",
        ));
    }
    let strs = |f: fn(&ManifestRow) -> Option<&str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let f64s = |f: fn(&ManifestRow) -> Option<f64>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Float64Array>())
    };
    let u64s = |f: fn(&ManifestRow) -> Option<u64>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<UInt64Array>())
    };
    let vectors = rows
        .iter()
        .map(|r| r.embedding.as_ref().map(|v| v.iter().map(|&x| Some(x))));
    let embedding: ArrayRef = match dim {
        Some(d) => Arc::new(
            FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(vectors, d as i32),
        ),
        None => Arc::new(ListArray::from_iter_primitive::<Float32Type, _, _>(vectors)),
    };
    let columns: Vec<ArrayRef> = vec![
        strs(|r| Some(r.command.as_str())),
        strs(|r| Some(r.video.as_str())),
        strs(|r| Some(r.video_dir.as_str())),
        strs(|r| r.path.as_deref()),
        strs(|r| Some(r.decision.as_str())),
        strs(|r| r.reason.as_deref()),
        f64s(|r| Some(r.time)),
        f64s(|r| r.pts_time),
        Arc::new(rows.iter().map(|r| r.pts).collect::<Int64Array>()),
        u64s(|r| r.frame_index),
        u64s(|r| r.decode_index),
        Arc::new(rows.iter().map(|r| r.key_frame).collect::<BooleanArray>()),
        u64s(|r| r.scene),
        u64s(|r| r.segment),
        f64s(|r| r.span_start),
        f64s(|r| r.span_end),
        f64s(|r| r.score),
        u64s(|r| r.hash),
        embedding,
    ];
    RecordBatch::try_new(Arc::new(schema(dim)), columns)
        .map_err(|e| Error::config("manifest", format!("parquet: {e}")))
}

/// Writes the rows to `path` (snappy-compressed), atomically.
pub fn write(path: &Path, rows: &[ManifestRow]) -> Result<Vec<PathBuf>> {
    let batch = batch(rows)?;
    let file = AtomicFile::create(path)?;
    let fail = |e: parquet::errors::ParquetError| Error::Io {
        path: path.to_path_buf(),
        what: "cannot write Parquet",
        source: std::io::Error::other(e),
    };
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).map_err(fail)?;
    writer.write(&batch).map_err(fail)?;
    let file = writer.into_inner().map_err(fail)?;
    Ok(vec![file.commit()?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn row(embedding: Option<Vec<f32>>) -> ManifestRow {
        ManifestRow {
            pts_time: Some(2.0),
            pts: Some(-5),
            frame_index: Some(50),
            decode_index: Some(49),
            key_frame: Some(false),
            hash: Some(u64::MAX),
            embedding,
            ..ManifestRow::new("select", "v.mp4", "v.mp4", "saved", 2.0)
        }
    }

    #[test]
    fn rows_round_trip_with_fixed_size_embeddings() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.parquet");
        write(&p, &[row(Some(vec![1.0, 2.0])), row(None)]).unwrap();
        let file = std::fs::File::open(&p).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        assert_eq!(batches[0].num_rows(), 2);
        let schema = batches[0].schema();
        assert_eq!(
            schema.field_with_name("embedding").unwrap().data_type(),
            &DataType::FixedSizeList(Arc::new(Field::new("item", DataType::Float32, true)), 2)
        );
        let hash = batches[0]
            .column_by_name("hash")
            .unwrap()
            .as_any()
            .downcast_ref::<UInt64Array>()
            .unwrap()
            .value(0);
        assert_eq!(hash, u64::MAX);
    }

    #[test]
    fn mixed_widths_are_refused() {
        assert!(batch(&[row(Some(vec![1.0])), row(Some(vec![1.0, 2.0]))]).is_err());
    }
}
