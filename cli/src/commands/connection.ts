import { Command } from 'commander';
import { text } from 'node:stream/consumers';
import { configPath, readCliConfig, writeCliConfig } from '../cli-config';
import { CliError, EXIT } from '../exit-codes';
import { withOutputOption } from '../output';
import { PanelApi } from '../panel-api';
import { ssoLogin } from '../sso-login';
import { assertTokenTransport } from '../token-transport';
import { examples, Runtime } from '../runtime';

export function registerConnectionCommands(program: Command, runtime: Runtime): void {
  const login = program
    .command('login')
    .description(
      'check a token against a panel, or sign in with single sign-on (--sso), and save it as a named context (config file, mode 0600)',
    )
    .argument('<url>', "the panel's URL, e.g. https://wgfleet.example.com")
    .option('--name <context>', 'name of the context to save (or --context; default: "default")')
    .option('--token <token>', 'the API token (visible in shell history and ps; prefer --token-stdin)')
    .option('--token-stdin', 'read the API token from standard input')
    .option('--sso', "sign in with the panel's identity provider in a browser instead of a token")
    .option('--no-browser', 'with --sso: only print the sign-in URL, open no browser');
  examples(
    login,
    'wgfleet login https://wgfleet.example.com --name prod --token-stdin < token.txt',
    'WGFLEET_TOKEN=… wgfleet login https://wgfleet.example.com',
    'wgfleet --insecure login http://10.0.0.5:3000 --token-stdin < token.txt   # plain http, trusted path only',
    'wgfleet login https://wgfleet.example.com --sso   # a browser opens for the sign-in',
  );
  login.action(
    runtime.act(
      async (
        url: string,
        options: { name?: string; token?: string; tokenStdin?: boolean; sso?: boolean; browser: boolean },
        command,
      ) => {
        const globals: { context?: string; insecure?: boolean } = command.optsWithGlobals();
        const name = options.name ?? globals.context ?? 'default';
        // Refused before the token is read or sent anywhere.
        assertTokenTransport(url, globals.insecure === true);
        const out = runtime.out(command);
        if (options.sso && (options.token || options.tokenStdin))
          throw new CliError('--sso signs in without a token: give either --sso or a token');
        const token = options.sso
          ? (
              await ssoLogin({
                url,
                openBrowser: options.browser,
                tell: (line) => process.stderr.write(`${line}\n`),
              })
            ).token
          : options.tokenStdin
            ? (await text(process.stdin)).trim()
            : (options.token ?? process.env.WGFLEET_TOKEN);
        if (!token)
          throw new CliError('give the token with --token-stdin, --token or WGFLEET_TOKEN, or use --sso');
        const insecure = globals.insecure === true ? { insecure: true } : {};
        const panel = new PanelApi({ url, token, source: `the URL and token given to login`, ...insecure });
        runtime.connectionSource = panel.connection.source;
        // Any role may list nodes: this proves the URL and the token before they are saved.
        await panel.listNodes();
        const path = configPath();
        const config = await readCliConfig(path);
        config.contexts[name] = { url, token, ...insecure };
        config.current_context = name;
        await writeCliConfig(path, config);
        out.line(`logged in to ${url}; context "${name}" saved in ${path} and made current`);
        return EXIT.ok;
      },
    ),
  );

  const context = program.command('context').description('the named panels of the config file');
  examples(
    withOutputOption(context.command('ls').description('list the contexts; * marks the current one')),
    'wgfleet context ls',
  ).action(
    runtime.act(async (_options, command) => {
      const out = runtime.out(command);
      const config = await readCliConfig(configPath());
      const names = Object.keys(config.contexts);
      if (out.json) {
        out.printJson(
          names.map((name) => ({
            name,
            url: config.contexts[name].url,
            current: name === config.current_context,
          })),
        );
      } else {
        out.table(
          ['CURRENT', 'NAME', 'URL'],
          names.map((name) => [name === config.current_context ? '*' : '', name, config.contexts[name].url]),
        );
      }
    }),
  );
  examples(
    context.command('use').description('make a context the current one').argument('<name>'),
    'wgfleet context use prod',
  ).action(
    runtime.act(async (name: string, _options, command) => {
      const path = configPath();
      const config = await readCliConfig(path);
      if (!config.contexts[name])
        throw new CliError(`no context "${name}" in ${path}; wgfleet context ls lists them`);
      config.current_context = name;
      await writeCliConfig(path, config);
      runtime.out(command).line(`current context: ${name}`);
    }),
  );
}
