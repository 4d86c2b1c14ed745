package io.switchboard.connector.microsoft.internal;

import io.switchboard.core.api.connector.ProviderRefusal;
import io.switchboard.core.api.connector.Upstream;
import io.switchboard.core.api.util.JsonValues;
import io.switchboard.core.api.util.UrlParts;
import io.switchboard.core.mailbox.api.IncomingFile;
import io.switchboard.core.mailbox.api.MailAttachment;
import io.switchboard.core.mailbox.api.MailboxHttp;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files added to a Graph draft. Up to {@value #SMALL} bytes: one {@code POST
 * /me/messages/{id}/attachments} with the bytes in base64. Larger (up to Graph's 150 MB): an
 * upload session ({@code createUploadSession}), then the bytes in order, {@value #CHUNK} at a
 * time (a multiple of 320 KiB, under Graph's 4 MB a request), each a {@code PUT} with its
 * {@code Content-Range} to the session's pre-authenticated address, without the token; the last
 * answers 201 with the attachment's address in {@code Location}. That address lies on another
 * host ({@code outlook.office.com}): only the hosts named by {@code upload.hosts} are used.
 */
final class GraphUploads {
    static final int SMALL = 3 * 1024 * 1024;
    static final int CHUNK = 12 * 320 * 1024;
    static final long LARGEST = 150L * 1024 * 1024;
    private static final Pattern ATTACHMENT_ID = Pattern.compile("Attachments\\('([^']+)'\\)");

    private GraphUploads() {
    }

    static MailAttachment attach(MailboxHttp http, String draftId, IncomingFile file, Set<String> uploadHosts)
            throws ProviderRefusal, IOException {
        if (file.size() > LARGEST) {
            throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 413, "Graph takes files up to " + LARGEST + " bytes", null);
        }
        String attachments = "/v1.0/me/messages/" + UrlParts.encode(draftId) + "/attachments";
        if (file.size() <= SMALL) {
            byte[] bytes = exactly(file, (int) file.size());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("@odata.type", "#microsoft.graph.fileAttachment");
            body.put("name", file.name());
            body.put("contentType", file.contentType());
            body.put("contentBytes", Base64.getEncoder().encodeToString(bytes));
            Map<String, Object> a = http.object(http.send("POST", attachments, GraphMail.json(), http.write(body)));
            return new MailAttachment(String.valueOf(a.get("id")), file.name(), file.contentType(), file.size(), false);
        }
        Map<String, Object> item = Map.of("AttachmentItem", Map.of("attachmentType", "file", "name", file.name(), "size", file.size(),
                "contentType", file.contentType()));
        Map<String, Object> session = http.object(http.send("POST", attachments + "/createUploadSession", GraphMail.json(), http.write(item)));
        String uploadUrl = JsonValues.string(session.get("uploadUrl"));
        if (uploadUrl == null || !allowed(uploadUrl, uploadHosts)) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 502, "Graph's upload session names a host outside upload.hosts", null);
        }
        String location = null;
        for (long from = 0; from < file.size(); from += CHUNK) {
            int length = (int) Math.min(CHUNK, file.size() - from);
            byte[] chunk = exactly(file, length);
            Upstream.Response r = http.sendTo(uploadUrl, "PUT", Map.of("Content-Type", "application/octet-stream",
                    "Content-Range", "bytes " + from + "-" + (from + length - 1) + "/" + file.size()), chunk);
            if (!r.ok()) {
                http.object(r); // the refusal, read as every Graph refusal
            }
            location = header(r, "Location");
        }
        Matcher id = ATTACHMENT_ID.matcher(location == null ? "" : location);
        if (!id.find()) {
            throw new ProviderRefusal(ProviderRefusal.Kind.UPSTREAM, 502, "Graph's upload session ended without the attachment's address", null);
        }
        return new MailAttachment(id.group(1), file.name(), file.contentType(), file.size(), false);
    }

    /** The next {@code length} bytes of the file: fewer is the client's body ending early. */
    private static byte[] exactly(IncomingFile file, int length) throws ProviderRefusal, IOException {
        byte[] bytes = file.content().readNBytes(length);
        if (bytes.length < length) {
            throw new ProviderRefusal(ProviderRefusal.Kind.VALIDATION, 400, "the file ended before its Content-Length", null);
        }
        return bytes;
    }

    private static boolean allowed(String url, Set<String> hosts) {
        try {
            URI u = new URI(url);
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            return hosts.contains(host) || u.getPort() > 0 && hosts.contains(host + ":" + u.getPort());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String header(Upstream.Response r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
