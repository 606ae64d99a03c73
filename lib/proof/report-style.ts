/** The report's stylesheet: inline, system fonts only, light by default and dark by preference. */
export const REPORT_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--passbg:#dafbe1;--failbg:#ffebe9;--c0:#0969da;--c1:#bf8700;--c2:#1a7f37;--c3:#cf222e;--c4:#8250df;--c5:#57606a}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--pass:#3fb950;--fail:#f85149;--passbg:#12261e;--failbg:#3c1618;--c0:#4493f8;--c1:#d29922;--c2:#3fb950;--c3:#f85149;--c4:#ab7df8;--c5:#9198a1}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 20px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:40px 0 8px;padding-top:8px;border-top:1px solid var(--line)}h3{font-size:16px;margin:24px 0 8px}
p,li{max-width:80ch}.muted{color:var(--muted)}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--card);padding:1px 4px;border-radius:4px;word-break:break-all}
.scroll{overflow-x:auto;margin:8px 0 16px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;font-weight:700;font-size:12px;padding:2px 8px;border-radius:999px;letter-spacing:.03em}
.pass{color:var(--pass);background:var(--passbg)}.fail{color:var(--fail);background:var(--failbg)}
.verdicts{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.verdict{flex:1 1 240px;border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:var(--card)}
.verdict strong{display:block;font-size:15px;margin-bottom:6px}
.chart{width:100%;max-width:720px;height:auto;display:block;margin:8px 0 16px}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart text{fill:var(--fg);font:12px system-ui,sans-serif}.chart .tick,.chart .legend{fill:var(--muted)}.chart .title{font-weight:600;font-size:13px}
.chart path,.chart line.s0,.chart line.s1,.chart line.s2,.chart line.s3,.chart line.s4,.chart line.s5{fill:none;stroke-width:2}
.chart .s0{stroke:var(--c0)}.chart .s1{stroke:var(--c1)}.chart .s2{stroke:var(--c2)}.chart .s3{stroke:var(--c3)}.chart .s4{stroke:var(--c4)}.chart .s5{stroke:var(--c5)}
.chart .ref{stroke-dasharray:6 4;stroke-width:1.5}
details{margin:8px 0}summary{cursor:pointer;color:var(--muted)}
`;
