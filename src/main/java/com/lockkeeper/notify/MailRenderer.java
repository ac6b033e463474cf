package com.lockkeeper.notify;

import java.util.Map;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Turns a notification into its subject, plain text and HTML, from templates/mail: NAME.txt (its
 * first line "Subject: ...", then the text) and NAME.html. The wording of every message lives
 * there, and nowhere else.
 */
final class MailRenderer {

    /** A message ready to send. */
    record Rendered(String subject, String text, String html) {
    }

    private static final String SUBJECT = "Subject:";

    private final org.thymeleaf.spring6.SpringTemplateEngine engine = new org.thymeleaf.spring6.SpringTemplateEngine();

    MailRenderer() {
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, ".txt", 1));
        engine.addTemplateResolver(resolver(TemplateMode.HTML, ".html", 2));
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String suffix, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/mail/");
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setResolvablePatterns(java.util.Set.of("*" + suffix));
        resolver.setCheckExistence(true);
        resolver.setOrder(order);
        resolver.setCacheable(true);
        return resolver;
    }

    Rendered render(NoticeKind kind, Map<String, String> model) {
        Context context = new Context(java.util.Locale.ENGLISH);
        model.forEach(context::setVariable);
        String text = engine.process(kind.template() + ".txt", context).strip();
        String html = engine.process(kind.template() + ".html", context);
        String firstLine = text.lines().findFirst().orElse("");
        if (!firstLine.startsWith(SUBJECT)) {
            throw new IllegalStateException("templates/mail/" + kind.template() + ".txt must start with \"Subject: \"");
        }
        String body = text.substring(firstLine.length()).strip() + "\n";
        return new Rendered(firstLine.substring(SUBJECT.length()).strip(), body, html);
    }
}
