import { usePageHeading } from '../hooks';

export function NotFound() {
  const heading = usePageHeading('Not found');
  return (
    <section>
      <h1 ref={heading} tabIndex={-1}>
        Not found
      </h1>
      <p>
        There is no such page. <a href="/">Back to the fleet</a>.
      </p>
    </section>
  );
}
