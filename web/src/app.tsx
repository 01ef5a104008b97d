import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { errorText, session, whoAmI } from './api';
import { Events } from './pages/events';
import { Fleet } from './pages/fleet';
import { Login } from './pages/login';
import { NodePage } from './pages/node';
import { NotFound } from './pages/not-found';
import { Peers } from './pages/peers';
import { Templates } from './pages/templates';
import { Tokens } from './pages/tokens';
import { Webhooks } from './pages/webhooks';
import { SessionContext, useSession } from './session';
import type { Me } from './types';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => session.token() !== undefined);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const token = session.token();
    if (!token) return;
    whoAmI(token)
      .then(setMe, (error: unknown) => {
        session.clear();
        setProblem(errorText(error));
      })
      .finally(() => setChecking(false));
  }, []);

  const logout = () => {
    session.clear();
    setMe(null);
  };

  if (checking) return <p class="boot">Checking your session…</p>;
  if (!me) {
    return (
      <Login
        problem={problem}
        onLogin={(token, who) => {
          session.save(token);
          setProblem(undefined);
          setMe(who);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ me, logout }}>
      <LocationProvider>
        <Shell />
      </LocationProvider>
    </SessionContext.Provider>
  );
}

function Shell() {
  const { me, logout } = useSession();
  const { path } = useLocation();
  const links: [string, string][] = [
    ['/', 'Fleet'],
    ['/peers', 'Peers'],
    ['/events', 'Events'],
    ['/templates', 'Templates'],
    ...(me.role === 'admin'
      ? ([
          ['/webhooks', 'Webhooks'],
          ['/tokens', 'Tokens'],
        ] as [string, string][])
      : []),
  ];
  const current = (href: string) =>
    href === '/' ? path === '/' || path.startsWith('/nodes/') : path === href;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          <span class="logo" aria-hidden="true">
            ◆
          </span>
          wgfleet
        </a>
        <nav aria-label="Main">
          {links.map(([href, label]) => (
            <a key={href} href={href} aria-current={current(href) ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div class="who">
          <span class={`role role-${me.role}`} title={`Signed in as ${me.name}`}>
            {me.name} · {me.role}
          </span>
          <button type="button" class="ghost" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Router>
          <Route path="/" component={Fleet} />
          <Route path="/nodes/:id" component={NodePage} />
          <Route path="/peers" component={Peers} />
          <Route path="/events" component={Events} />
          <Route path="/templates" component={Templates} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/tokens" component={Tokens} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </>
  );
}
