import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { csrfToken, errorText, session, signOut, whoAmI, WgfleetApiError } from './api';
import { ClusterPage, Clusters } from './pages/clusters';
import { Events } from './pages/events';
import { Fleet } from './pages/fleet';
import { Login } from './pages/login';
import { MyDevices } from './pages/my-devices';
import { NodePage } from './pages/node';
import { NotFound } from './pages/not-found';
import { Peers } from './pages/peers';
import { RolloutPage, Rollouts } from './pages/rollouts';
import { Templates } from './pages/templates';
import { Tokens } from './pages/tokens';
import { Bindings } from './pages/bindings';
import { Webhooks } from './pages/webhooks';
import { bindingsText, grantsAnywhere, grantsFleetWide, hasOwnDevices, topRole } from './access';
import { SessionContext, useSession } from './session';
import type { Me } from './types';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  // A pasted token (this tab's sessionStorage) or a single sign-on session (its cookies) to check.
  const [checking, setChecking] = useState(() => session.token() !== undefined || csrfToken() !== undefined);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const token = session.token();
    if (!token && !csrfToken()) return;
    whoAmI(token)
      .then(setMe, (error: unknown) => {
        session.clear();
        setProblem(
          !token && error instanceof WgfleetApiError && error.status === 401
            ? 'Your session has ended: sign in again.'
            : errorText(error),
        );
      })
      .finally(() => setChecking(false));
  }, []);

  const logout = async () => {
    if (session.token()) {
      session.clear();
      setMe(null);
      return;
    }
    try {
      const endSessionUrl = await signOut();
      // The provider's own session ends too (RP-initiated logout); it sends the browser back here.
      if (endSessionUrl) return location.assign(endSessionUrl);
    } catch (error) {
      setProblem(errorText(error));
    }
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
  // Someone whose only role is `self` has nothing but their own devices: that is their landing page.
  const operator = grantsAnywhere(me, 'read');
  const links: [string, string][] = [];
  if (operator) links.push(['/', 'Fleet'], ['/peers', 'Peers']);
  if (hasOwnDevices(me)) links.push([operator ? '/devices' : '/', 'My devices']);
  // The cluster list, the event feed, the templates and the rollouts span the whole fleet: a reader of part of it
  // is refused them.
  if (grantsFleetWide(me, 'read'))
    links.push(
      ['/clusters', 'Clusters'],
      ['/templates', 'Templates'],
      ['/rollouts', 'Rollouts'],
      ['/events', 'Events'],
    );
  if (grantsFleetWide(me, 'admin'))
    links.push(['/webhooks', 'Webhooks'], ['/tokens', 'Tokens'], ['/bindings', 'Bindings']);
  const current = (href: string) =>
    href === '/'
      ? path === '/' || (operator && path.startsWith('/nodes/'))
      : path === href || path.startsWith(`${href}/`);
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
          <span class={`role role-${topRole(me)}`} title={`Signed in as ${me.name}: ${bindingsText(me)}`}>
            {me.name} · {bindingsText(me)}
          </span>
          <button type="button" class="ghost" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Router>
          <Route path="/" component={operator ? Fleet : MyDevices} />
          <Route path="/devices" component={MyDevices} />
          <Route path="/nodes/:id" component={NodePage} />
          <Route path="/peers" component={Peers} />
          <Route path="/clusters" component={Clusters} />
          <Route path="/clusters/:id" component={ClusterPage} />
          <Route path="/rollouts" component={Rollouts} />
          <Route path="/rollouts/:id" component={RolloutPage} />
          <Route path="/events" component={Events} />
          <Route path="/templates" component={Templates} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/tokens" component={Tokens} />
          <Route path="/bindings" component={Bindings} />
          <Route default component={NotFound} />
        </Router>
      </main>
    </>
  );
}
