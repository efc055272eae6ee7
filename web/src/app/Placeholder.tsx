// TEMPORARY: the body of a page not written yet (each page file that uses it is to be filled in).
export function Placeholder() {
  return <p>Cette page sera bientôt disponible.</p>;
}
