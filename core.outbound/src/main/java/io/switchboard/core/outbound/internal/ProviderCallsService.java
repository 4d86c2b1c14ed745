package io.switchboard.core.outbound.internal;

import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.api.connector.Connector;
import io.switchboard.core.api.connector.ConnectorSettings;
import io.switchboard.core.api.connector.TokenSet;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.outbound.api.AccountCalls;
import io.switchboard.core.outbound.api.GrantRefusedException;
import io.switchboard.core.outbound.api.ProviderCalls;
import io.switchboard.core.outbound.api.ProviderUnavailableException;
import io.switchboard.core.outbound.api.Relay;
import io.switchboard.core.rest.api.ServletProblems;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Every call to a provider, on one Jetty HTTP client ({@link HttpClients}: pooled connections,
 * HTTP/2 where offered, no redirects, no cookies, public addresses only). The client does not
 * decode content (relayed bodies pass through as the provider encoded them, and whole-answer
 * calls ask for none) and adds no {@code User-Agent} of its own (the add-in's passes through
 * the relay; other calls say {@code Switchboard}).
 */
@Designate(ocd = OutboundConfig.class)
@Component(service = ProviderCalls.class, configurationPid = OutboundConfig.PID)
public class ProviderCallsService implements ProviderCalls {
    private final HttpClient client;
    private final HttpClient configuredClient;
    private final PlainCalls plain;
    private final PlainCalls configured;
    private final TokenRequests tokens;
    private final AccountBudgets budgets = new AccountBudgets();
    private final RelayTargets targets = new RelayTargets();
    private final InstanceUrls instances;
    private final ServletProblems problems;
    private final Duration callTimeout;

    @Activate
    public ProviderCallsService(@Reference ServletProblems problems, OutboundConfig config) {
        this.problems = problems;
        this.callTimeout = Duration.ofMillis(Math.max(1000, config.call_timeout_ms()));
        this.client = HttpClients.start(Duration.ofMillis(config.connect_timeout_ms()), config.allow_private_addresses(),
                (client, connector) -> {
                    int max = Math.max(4, config.client_threads());
                    QueuedThreadPool threads = new QueuedThreadPool(max, Math.min(4, max));
                    threads.setName("switchboard-outbound");
                    connector.setExecutor(threads);
                    client.setExecutor(threads);
                    client.setIdleTimeout(config.idle_timeout_ms());
                    client.setMaxConnectionsPerDestination(config.max_connections_per_host());
                    client.setMaxRequestsQueuedPerDestination(4096);
                    client.setUserAgentField(null);
                    client.setUseInputDirectByteBuffers(false); // relayed answers are copied into the servlet output: from heap buffers
                });
        client.getContentDecoderFactories().clear(); // start() installs a gzip decoder
        this.plain = new PlainCalls(client, callTimeout);
        // operator-configured URLs (identity providers): a small client of its own, any address
        this.configuredClient = HttpClients.start(Duration.ofMillis(config.connect_timeout_ms()), true, (client, connector) -> {
            // a few identity-provider documents an hour: a small pool, not Jetty's default of 8 idle threads at start
            QueuedThreadPool threads = new QueuedThreadPool(4, 1);
            threads.setName("switchboard-outbound-configured");
            connector.setExecutor(threads);
            client.setExecutor(threads);
            client.setUserAgentField(null);
        });
        configuredClient.getContentDecoderFactories().clear();
        this.configured = new PlainCalls(configuredClient, callTimeout);
        this.tokens = new TokenRequests(plain, callTimeout);
        this.instances = new InstanceUrls(config.allow_private_addresses());
    }

    @Deactivate
    void stop() throws Exception {
        try {
            client.stop();
        } finally {
            configuredClient.stop();
        }
    }

    @Override
    public Upstream operatorConfigured() {
        return configured;
    }

    @Override
    public Upstream withTimeout(Duration timeout) {
        return new Upstream() {
            @Override
            public Upstream.Response send(Upstream.Request request) throws IOException {
                return plain.send(request, timeout);
            }

            @Override
            public Map<String, Object> parseObject(String json) throws IOException {
                return plain.parseObject(json);
            }
        };
    }

    @Override
    public Upstream.Response send(Upstream.Request request) throws IOException {
        return plain.send(request);
    }

    @Override
    public Map<String, Object> parseObject(String json) throws IOException {
        return plain.parseObject(json);
    }

    @Override
    public TokenSet requestTokens(Connector connector, ConnectorSettings settings, String tokenUrl, Map<String, String> grant,
                                  String instanceUrl, Instant now) throws GrantRefusedException, ProviderUnavailableException {
        return tokens.request(connector, settings, tokenUrl, grant, instanceUrl, now);
    }

    @Override
    public AccountCalls account(AccessToken token, UnaryOperator<AccessToken> afterRejection, Duration timeout) {
        return new TokenBoundCalls(plain, budgets, token, afterRejection, timeout);
    }

    @Override
    public void relay(HttpServletRequest request, HttpServletResponse response, Relay relay) throws IOException {
        AccessToken token = relay.token();
        RelayTargets.Target target = targets.resolve(token.baseUrl(), token.allowedHosts(), token.proxyPaths(), relay.rawPath(),
                relay.rawQuery());
        budgets.spend(token.accountId(), token.budget());
        new RelayedCall(request, response, relay, target, client, problems).start();
    }

    @Override
    public String instanceUrl(String typed) {
        return instances.checkInstanceUrl(typed);
    }
}
