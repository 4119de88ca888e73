/** The numbers behind a chart, as a table: the chart's accessible view. */
export function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead><tr>{head.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
      <tbody>{rows.map((r, i) => (
        <tr key={i}>{r.map((cell, j) => j === 0 ? <th key={j} scope="row" data-label={head[j]}>{cell}</th> : <td key={j} data-label={head[j]}>{cell}</td>)}</tr>
      ))}</tbody>
    </table>
  );
}
