package org.taulab.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.jshell.CellError;
import org.taulab.kernel.jshell.JavaSession;
import org.taulab.kernel.magic.BuiltinMagics;
import org.taulab.kernel.magic.MagicHost;
import org.taulab.kernel.magic.Magics;
import org.taulab.kernel.render.Renderers;

/**
 * The TauLab Jupyter kernel: Java through JShell in this JVM, the DSL imported, {@code %%tau} and the
 * other magics, rich display of tables, charts and weights, and interrupts that stop running code.
 * The JShell session starts in the background, so the kernel answers {@code kernel_info} at once.
 */
public final class TauLabKernel extends BaseKernel implements MagicHost {
    static final String VERSION = "0.1.0";
    /** {@code Math.max?}: documentation in the pager, as in IPython. */
    private static final java.util.regex.Pattern HELP = java.util.regex.Pattern.compile("\\s*([\\w.$]+)\\?\\s*");

    private final KernelIO kernelIO;
    private final SessionHistory history;
    private final Magics magics = new Magics();
    private final CompletableFuture<JavaSession> session;
    private final CellAssist assist;
    private volatile Process runningProcess;
    private volatile ShellReplyEnvironment currentEnv;

    public TauLabKernel() {
        this(new KernelIO(), new SessionHistory());
    }

    private TauLabKernel(KernelIO io, SessionHistory history) {
        super("TauLab", VERSION, language(), List.of(new HelpLink("TauLab", "https://github.com/taulab/taulab")),
                history, io, new CommManager(), new Renderer(), null, new MagicsRegistry(), false,
                new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG).addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RED_FG).build());
        this.kernelIO = io;
        this.history = history;
        Renderers.registerAll(renderer);
        BuiltinMagics.registerAll(this);
        PrintStream log = System.err;
        session = CompletableFuture.supplyAsync(() -> startSession(log));
        assist = new CellAssist(this::session, magics);
    }

    private static LanguageInfo language() {
        return new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build();
    }

    private static JavaSession startSession(PrintStream log) {
        JavaSession s = new JavaSession(System.getProperty("java.class.path"), log, log);
        s.eval(StartupCode.IMPORTS);
        s.eval(StartupCode.WARM_UP);
        return s;
    }

    @Override
    public JavaSession session() {
        try {
            return session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting JShell", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell did not start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public Magics magics() {
        return magics;
    }

    @Override
    public Object runCell(String source) {
        return new CellRunner(session(), magics).run(source);
    }

    @Override
    public void setRunningProcess(Process process) {
        runningProcess = process;
    }

    @Override
    public void display(Object value) {
        Notebook.display(value);
    }

    /** A display comes after what the cell printed before it. */
    @Override
    public void display(DisplayData data) {
        kernelIO.drain();
        super.display(data);
    }

    /** Publishes what the running cell printed so far. */
    void drainOutput() {
        kernelIO.drain();
    }

    /**
     * The notebook's stdout and stderr for the kernel's whole life (jjava's restore the server's streams after each
     * cell, so a thread a cell started printed to the server's terminal).
     */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        System.setOut(kernelIO.cellOut);
        System.setErr(kernelIO.cellErr);
        System.setIn(kernelIO.in);
    }

    /** Publishes on the current request's iopub (for clear_output and the like). */
    void publish(ContentType<?> content) {
        ShellReplyEnvironment env = currentEnv;
        if (env != null) {
            kernelIO.drain();
            publishRaw(env, content);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void publishRaw(ShellReplyEnvironment env, ContentType content) {
        env.publish(content);
    }

    @Override
    public Object evalRaw(String source) {
        Object value = runCell(source);
        return value == JavaSession.NO_VALUE ? null : value;
    }

    @Override
    public DisplayData eval(String source) {
        Object value = evalRaw(source);
        return value == null || value instanceof DisplayHandle ? null : Renderers.render(renderer, value);
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? executionCount.getAndIncrement() : executionCount.get();
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        replaceOutputStreams(env);
        kernelIO.attach(env, request.isStdinEnabled());
        currentEnv = env;
        String output = null;
        try {
            java.util.regex.Matcher help = HELP.matcher(request.getCode());
            if (help.matches()) {
                String name = help.group(1);
                DisplayData doc = assist.inspect(name, name.length(), true);
                String text = doc == null ? "no documentation for " + name : String.valueOf(doc.getData(
                        org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
                env.defer().reply(new Replies.ExecuteWithPager(count, text));
                return;
            }
            DisplayData out = eval(request.getCode());
            kernelIO.drain();
            if (out != null && !silent) {
                env.publish(new PublishExecuteResult(count, out));
                Object text = out.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
                output = text == null ? null : text.toString();
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (Exception e) {
            kernelIO.drain();
            CellError error = asCellError(e);
            List<String> traceback = traceback(error);
            env.publish(new PublishError(error.errorName(), error.getMessage(), traceback));
            ErrorReply reply = new ErrorReply(error.errorName(), error.getMessage(), traceback);
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } finally {
            currentEnv = null;
            kernelIO.detach(env);
        }
        if (store) {
            history.record(count, request.getCode(), output);
        }
    }

    static CellError asCellError(Exception e) {
        if (e instanceof CellError c) {
            return c;
        }
        if (e instanceof TauLabException t) {
            return new CellError(t.getClass().getSimpleName(), t.getMessage(), List.of(), t);
        }
        return CellError.thrown(e);
    }

    private List<String> traceback(CellError e) {
        List<String> lines = new ArrayList<>();
        lines.add(errorStyler.secondary(e.errorName()) + ": " + e.getMessage());
        e.detail().forEach(lines::add);
        return lines;
    }

    @Override
    public List<String> formatError(Throwable e) {
        return traceback(e instanceof Exception ex ? asCellError(ex) : CellError.thrown(e));
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new Replies.KernelInfo(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        java.util.Set<HistoryManager.ResultFlag> flags = java.util.EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<org.dflib.jjava.jupyter.kernel.history.HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                if (s.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(s.getPattern(), s.getMaxReturnLength(), flags);
            }
        };
        env.reply(Replies.history(env.getContext(), entries));
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return assist.inspect(code, at, extraDetail);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return assist.complete(code, at);
    }

    @Override
    public String isComplete(String code) {
        return assist.isComplete(code);
    }

    /** Stops what the running cell is doing: its Java code, or its external process. */
    @Override
    public void interrupt() {
        Process p = runningProcess;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (session.isDone()) {
            session().stop();
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        if (session.isDone() && !session.isCompletedExceptionally()) {
            session().close();
        }
    }
}
