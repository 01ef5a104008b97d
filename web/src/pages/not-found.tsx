export function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such page. <a href="/">Back to the fleet</a>.
      </p>
    </section>
  );
}
