package io.switchboard.core.config.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Switchboard configuration documents")
@interface DocumentLimits {
    String PID = "switchboard.config";

    @AttributeDefinition(description = "Largest configuration document, in bytes of JSON (larger writes get 413)")
    int max_document_bytes() default 65536;
}
