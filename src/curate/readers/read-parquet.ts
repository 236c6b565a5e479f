import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InputError } from "../../errors.js";
import { chooseQueryColumn, detoxifyColumnsOf, idColumnOf, idOf, maxScore } from "./columns.js";
import type { InputItem, InputSource } from "./types.js";

/**
 * Parquet, read one row group at a time and only the needed columns (query, Detoxify scores, id), so memory is
 * bounded by the largest row group rather than the file. Snappy, gzip, brotli, zstd and lz4 pages are supported.
 */
export async function openParquet(path: string, options: { column?: string } = {}): Promise<InputSource> {
  const file = await asyncBufferFromFile(path);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new InputError(`not a readable Parquet file: ${(error as Error).message}`, path);
  }
  const available = parquetSchema(metadata).children.map((child) => child.element.name);
  const column = chooseQueryColumn(available, options.column, path);
  const detoxifyColumns = detoxifyColumnsOf(available);
  const idColumn = idColumnOf(available);
  const columns = [column, ...detoxifyColumns, ...(idColumn ? [idColumn] : [])];
  let bytesRead = 0;
  return {
    path,
    format: "parquet",
    column,
    detoxifyColumns,
    bytes: file.byteLength,
    bytesRead: () => bytesRead,
    async *rows() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        let rows: Record<string, unknown>[];
        try {
          rows = await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd, compressors });
        } catch (error) {
          // One unreadable row group is reported row by row; the groups after it are still read.
          const message = `unreadable Parquet row group: ${(error as Error).message}`;
          yield Array.from({ length: rowEnd - rowStart }, (_, k): InputItem => ({ index: rowStart + k, error: message }));
          rowStart = rowEnd;
          continue;
        }
        const items = rows.map((row, k): InputItem => {
          const index = rowStart + k;
          const query = row[column];
          if (typeof query !== "string") return { index, error: `"${column}" is ${query === null || query === undefined ? "empty" : `not text (${typeof query})`}` };
          const toxicity = detoxifyColumns.length ? maxScore(detoxifyColumns.map((c) => row[c])) : undefined;
          const id = idColumn ? idOf(row[idColumn]) : undefined;
          return { index, query, ...(id !== undefined ? { id } : {}), ...(toxicity !== undefined ? { toxicity } : {}) };
        });
        bytesRead += Number(group.total_compressed_size ?? group.total_byte_size);
        rowStart = rowEnd;
        yield items;
      }
      bytesRead = file.byteLength;
    },
  };
}
