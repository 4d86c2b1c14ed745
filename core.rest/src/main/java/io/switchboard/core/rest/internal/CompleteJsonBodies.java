package io.switchboard.core.rest.internal;

import io.switchboard.core.api.Switchboard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.ext.WriterInterceptor;
import javax.ws.rs.ext.WriterInterceptorContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * JSON answers are serialised into memory first and sent only when complete: a value that fails
 * to serialise half-way then becomes a 500 problem instead of a truncated 200 (with Jackson
 * writing straight to the response, the status line and part of the body were already out).
 * The API's JSON answers are small; streamed bodies (the proxy) do not pass through JAX-RS.
 */
@Component(service = WriterInterceptor.class)
@JaxrsExtension
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
public class CompleteJsonBodies implements WriterInterceptor {

    /** An answer's entity could not be serialised; nothing of it was sent. */
    static final class NotWritten extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotWritten(Throwable cause) {
            super("the answer could not be serialised: " + cause.getClass().getName(), cause);
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !(type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            context.proceed();
            return;
        }
        OutputStream out = context.getOutputStream();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        context.setOutputStream(buffer);
        try {
            context.proceed();
        } catch (IOException | RuntimeException e) {
            throw new NotWritten(e);
        } finally {
            context.setOutputStream(out);
        }
        buffer.writeTo(out);
    }
}
