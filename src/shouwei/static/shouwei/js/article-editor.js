// 首位 — the portal's article editor: Quill (static/vendor/quill) in place of the body's
// textarea. Without JavaScript the textarea stays and takes HTML or plain text. Nothing here is
// trusted: the server cleans every body with its allow-list (portal/sanitize.py) whatever the
// editor sends.
(function () {
  "use strict";

  var ready = window.shouwei && window.shouwei.ready ? window.shouwei.ready : function (fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  };

  // Only what the server's allow-list keeps: an editor offering colours or fonts would lose
  // them on save, silently.
  var FORMATS = ["header", "bold", "italic", "underline", "strike", "link", "list",
    "blockquote", "script", "image", "photo"];
  // Only images already on this site survive a paste: Word's clipboard points at files on the
  // author's disk (file:///C:/…), and data: URLs would bypass the upload check.
  var LOCAL_SRC = /^(\/(?!\/)|https?:\/\/)/i;
  var STYLED = /<style\b|\sstyle\s*=/i;
  // What the allow-list keeps but the editor has no format for.
  var KEEPS_OUT = /<(table|figure|hr)\b/i;

  function withoutStyles(html) {
    return html
      .replace(/<style\b[\s\S]*?<\/style\s*>/gi, "")
      .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
  }

  function registerCaption() {
    // ▲ captions are paragraphs with class="photo-caption", as in the zone's articles.
    var Parchment = Quill.import("parchment");
    var caption = new Parchment.ClassAttributor("photo", "photo", {
      scope: Parchment.Scope.BLOCK,
      whitelist: ["caption"]
    });
    Quill.register({ "formats/photo": caption }, true);
  }

  // The delta with ``name: value`` on its line ends (Quill keeps line formats on the "\n").
  function lineFormat(delta, name, value) {
    delta.ops.forEach(function (op) {
      if (typeof op.insert === "string" && op.insert.indexOf("\n") >= 0) {
        op.attributes = Object.assign({}, op.attributes);
        op.attributes[name] = value;
      }
    });
    return delta;
  }

  function notice(el, text) {
    if (el) el.textContent = text || "";
  }

  // Quill 2's semantic HTML writes every space as &nbsp; (fixed upstream after 2.0.3) and
  // every blank line as an empty paragraph; the page spaces paragraphs itself. A paragraph
  // starting with ▲ is a photo caption, as in the zone's articles (Word's included).
  function bodyHtml(quill) {
    if (quill.getLength() <= 1) return "";
    return quill.getSemanticHTML()
      .replace(/&nbsp;/g, " ")
      .replace(/<p>\s*<\/p>/g, "")
      .replace(/<p>(\s*▲)/g, '<p class="photo-caption">$1');
  }

  function setUpEditor(textarea) {
    var form = textarea.form;
    var toolbar = document.querySelector("[data-editor-toolbar]");
    var noticeEl = document.querySelector("[data-editor-notice]");
    var holder = document.createElement("div");
    holder.className = "rich-editor";
    textarea.parentNode.insertBefore(holder, textarea);
    toolbar.hidden = false;

    var lastRange = null;
    var panel = document.querySelector("form[data-image-upload]");
    var quill = new Quill(holder, {
      theme: "snow",
      formats: FORMATS,
      modules: {
        toolbar: { container: toolbar, handlers: { image: function () { openImagePanel(); } } },
        // An image file pasted or dropped goes through the same upload as the panel's (Quill
        // would otherwise put it into the body as a data: URL, which the server drops).
        uploader: { handler: function (range, files) { uploadDropped(range, files); } }
      }
    });
    var Delta = Quill.import("delta");
    var dropped = 0;
    quill.clipboard.addMatcher("IMG", function (node, delta) {
      if (LOCAL_SRC.test(node.getAttribute("src") || "")) return delta;
      dropped += 1;
      return new Delta();
    });
    // Pasted headings start at 2 (the page's <h1> is the title) and end at 4, as the server
    // keeps them; a pasted paragraph starting with ▲ is a photo caption.
    quill.clipboard.addMatcher("H1, H5, H6", function (node, delta) {
      return lineFormat(delta, "header", node.tagName === "H1" ? 2 : 4);
    });
    quill.clipboard.addMatcher("P", function (node, delta) {
      return /^\s*▲/.test(node.textContent || "") ? lineFormat(delta, "photo", "caption") : delta;
    });
    // Capture phase: runs before Quill's own paste handler. Word's clipboard is full of style
    // attributes and a <style> block; parsing them, even into an inert document, makes the
    // browser report CSP violations (and under our CSP they would not apply anyway, so Quill
    // could not read them). They are cut from the text first, then Quill converts the rest.
    holder.addEventListener("paste", function (event) {
      var clipboard = event.clipboardData;
      var html = clipboard ? clipboard.getData("text/html") : "";
      dropped = 0;
      if (html && STYLED.test(html)) {
        event.preventDefault();
        event.stopPropagation();
        html = withoutStyles(html);
        var range = quill.getSelection(true);
        var files = Array.prototype.slice.call(clipboard.files || []);
        var text = html.replace(/<[^>]*>/g, "").replace(/&nbsp;|\s/g, "");
        if (files.length && !text) {
          uploadDropped(range, files);  // a picture copied on its own
        } else {
          quill.deleteText(range.index, range.length, "user");
          quill.clipboard.dangerouslyPasteHTML(range.index, html, "user");
        }
      }
      window.setTimeout(function () {
        if (dropped) {
          notice(noticeEl, "粘贴的内容中有 " + dropped + " 张图片无法随文字粘贴，请用“插入图片”上传。");
        }
      }, 0);
    }, true);

    var initial = textarea.value.trim();
    if (initial) quill.setContents(quill.clipboard.convert({ html: initial }), "silent");
    quill.history.clear();

    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("aria-labelledby", "body-label");
    toolbar.querySelectorAll(".ql-picker-label").forEach(function (el) {
      el.setAttribute("aria-label", "段落格式");
    });
    var tooltipInput = holder.querySelector(".ql-tooltip input");
    if (tooltipInput) {
      tooltipInput.setAttribute("data-link", "https://");
      tooltipInput.setAttribute("aria-label", "链接地址");
    }
    textarea.hidden = true;
    document.querySelector("label[for='" + textarea.id + "']").addEventListener("click", function () {
      quill.focus();
    });

    quill.on("selection-change", function (range) {
      if (range) lastRange = range;
    });
    form.addEventListener("submit", function () {
      textarea.value = bodyHtml(quill);
    });

    function insertImage(url, caption) {
      var index = lastRange ? lastRange.index : Math.max(0, quill.getLength() - 1);
      var line = quill.getLine(index);
      // The image on a line of its own, its caption on the next.
      if (line[1] > 0) {
        quill.insertText(index, "\n", "user");
        index += 1;
      }
      quill.insertEmbed(index, "image", url, "user");
      var leaf = quill.getLeaf(index + 1)[0];
      if (leaf && leaf.domNode && leaf.domNode.tagName === "IMG") {
        leaf.domNode.setAttribute("alt", caption.replace(/^▲\s*/, "") || "图片");
      }
      quill.insertText(index + 1, "\n", "user");
      index += 2;
      if (caption) {
        var text = caption.charAt(0) === "▲" ? caption : "▲" + caption;
        quill.insertText(index, text + "\n", "user");
        quill.formatLine(index, text.length, "photo", "caption", "user");
        index += text.length + 1;
      }
      quill.setSelection(index, 0, "user");
      notice(noticeEl, "图片已插入正文，保存草稿后生效。");
    }

    function openImagePanel() {
      if (!panel) {
        notice(noticeEl, "请先保存草稿，再插入图片。");
        return;
      }
      panel.scrollIntoView({ behavior: "smooth", block: "center" });
      panel.querySelector("input[type=file]").focus();
    }

    function uploadDropped(range, files) {
      if (!panel) {
        notice(noticeEl, "请先保存草稿，再插入图片。");
        return;
      }
      if (range) lastRange = range;
      Array.prototype.reduce.call(files, function (previous, file) {
        return previous.then(function () {
          return upload(panel, file, "").then(function (data) {
            insertImage(data.url, "");
            addToList(data);
          }, function (failure) {
            notice(noticeEl, "“" + file.name + "”没有上传：" + failure.message);
          });
        });
      }, Promise.resolve());
    }

    if (panel) setUpImagePanel(panel, insertImage);
  }

  // Resolves with the server's answer ({url, caption, name}); rejects with {message, errors}.
  function upload(panel, file, caption) {
    var max = parseInt(panel.getAttribute("data-max-bytes"), 10) || 0;
    if (max && file.size > max) {
      // Refused here, before sending megabytes the server would refuse as well.
      var message = "文件过大：" + (file.size / 1048576).toFixed(1) + " MB，上限 " +
        Math.round(max / 1048576) + " MB";
      return Promise.reject({ message: message, errors: { file: [{ message: message }] } });
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", panel.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("image-file", file);
    data.append("image-caption", caption);
    return fetch(panel.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "上传失败（" + response.status + "），请稍后重试" };
      }).then(function (answer) {
        if (!response.ok || !answer.url) {
          return Promise.reject({ message: answer.error || "上传失败，请重试", errors: answer.errors || {} });
        }
        return answer;
      });
    }, function () {
      return Promise.reject({ message: "网络错误，图片没有上传，请重试", errors: {} });
    });
  }

  function showErrors(form, errors, fallback) {
    var shown = false;
    form.querySelectorAll("[data-errors-for]").forEach(function (el) {
      var list = errors[el.getAttribute("data-errors-for")] || [];
      el.textContent = list.map(function (e) { return e.message; }).join(" ");
      if (list.length) shown = true;
    });
    var all = (errors.__all__ || []).map(function (e) { return e.message; }).join(" ");
    var first = form.querySelector("[data-errors-for]");
    if (all) first.textContent = (first.textContent + " " + all).trim();
    else if (!shown) first.textContent = fallback;
  }

  function setUpImagePanel(panel, insertImage) {
    var fileInput = panel.querySelector("input[type=file]");
    var captionInput = panel.querySelector("input[type=text]");
    var button = panel.querySelector("button[type=submit]");
    panel.addEventListener("submit", function (event) {
      event.preventDefault();
      showErrors(panel, {}, "");
      var file = fileInput.files[0];
      if (!file) {
        showErrors(panel, { file: [{ message: "请选择要上传的图片" }] }, "");
        return;
      }
      button.disabled = true;
      upload(panel, file, captionInput.value).then(function (data) {
        insertImage(data.url, data.caption || "");
        addToList(data);
        panel.reset();
      }, function (failure) {
        showErrors(panel, failure.errors, failure.message);
      }).then(function () {
        button.disabled = false;
      });
    });
  }

  function addToList(data) {
    var list = document.querySelector("[data-file-list]");
    if (!list) return;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    var item = document.createElement("li");
    item.className = "list-group-item";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.name;
    item.appendChild(link);
    var note = document.createElement("span");
    note.className = "small text-secondary ms-2";
    note.textContent = "已插入正文（刷新页面后可删除）";
    item.appendChild(note);
    list.appendChild(item);
  }

  ready(function () {
    document.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    var textarea = document.querySelector("textarea[data-rich-editor]");
    if (!textarea || !window.Quill) return;
    if (KEEPS_OUT.test(textarea.value)) {
      // The editor would flatten a table into paragraphs on the next save: keep the source.
      notice(document.querySelector("[data-editor-notice]"),
        "本文含有表格等编辑器不能保留的内容，正文以 HTML 源码编辑。");
      return;
    }
    document.querySelectorAll(".no-js-only").forEach(function (el) { el.hidden = true; });
    registerCaption();
    setUpEditor(textarea);
  });
})();
