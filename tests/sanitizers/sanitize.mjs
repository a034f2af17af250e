// What a wiki shows of dockerfile-docs output, after its sanitizer: reads the output on stdin,
// writes JSON {html, text} on stdout.
//   node sanitize.mjs dompurify      HTML through DOMPurify's defaults (Backstage TechDocs, many HTML wikis)
//   node sanitize.mjs github-html    HTML through rehype-sanitize's default (GitHub) schema
//   node sanitize.mjs github-md      Markdown as GitHub renders it: GFM, raw HTML allowed, then the GitHub schema
//   node sanitize.mjs dompurify-md   Markdown rendered (GFM, raw HTML allowed), then DOMPurify's defaults
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
import createDOMPurify from "dompurify";
import { unified } from "unified";
import rehypeParse from "rehype-parse";
import rehypeRaw from "rehype-raw";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";

const mode = process.argv[2];
const input = readFileSync(0, "utf8");

async function markdownToHtml(markdown) {
  return String(
    await unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeStringify).process(markdown),
  );
}

let html;
if (mode === "dompurify" || mode === "dompurify-md") {
  const window = new JSDOM("").window;
  html = createDOMPurify(window).sanitize(mode === "dompurify" ? input : await markdownToHtml(input));
} else if (mode === "github-html") {
  html = String(await unified().use(rehypeParse, { fragment: true }).use(rehypeSanitize, defaultSchema).use(rehypeStringify).process(input));
} else if (mode === "github-md") {
  html = String(
    await unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeRaw)
      .use(rehypeSanitize, defaultSchema)
      .use(rehypeStringify)
      .process(input),
  );
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
// The text a reader sees: what a browser shows of the sanitized HTML, with no stylesheet but its own.
const dom = new JSDOM(`<!doctype html><body>${html}</body>`);
const body = dom.window.document.body;
for (const hidden of body.querySelectorAll("title, desc")) hidden.remove();
process.stdout.write(JSON.stringify({ html, text: body.textContent }));
