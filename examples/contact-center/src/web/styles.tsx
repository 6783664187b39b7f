// The pages' few styles (the ui-react components bring their own).
const CSS = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem; color: #1d2330; background: #f6f7f9; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
.bar { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; padding: .5rem; background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; }
.bar [role=status] { font-weight: 600; text-transform: capitalize; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin-top: 1rem; }
.panel { background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: .75rem; }
.muted { color: #667; font-size: .85rem; }
[role=alert] { color: #a40000; font-weight: 600; }
.recording { color: #a40000; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: .2rem .4rem; border-bottom: 1px solid #e3e6ea; text-align: right; }
th:first-child, td:first-child { text-align: left; }
button { margin: .15rem; }
form label { display: block; margin: .25rem 0; }
`

export function Styles() {
  return <style>{CSS}</style>
}
