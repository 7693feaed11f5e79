// Taro build configuration for both targets: `taro build --type weapp` writes dist/weapp (open it
// in WeChat DevTools), `taro build --type h5` writes dist/h5 (served by `npm start`).
const path = require('node:path');

const shared = path.resolve(__dirname, '..', '..', '..', 'packages', 'shared', 'src');
// Per-component NutUI styles land in shared chunks in whatever order pages import them; they do not
// override each other, so the order warning is noise.
const cssExtract = { ignoreOrder: true };

module.exports = function config() {
  const base = {
    projectName: 'chaincard-member',
    date: '2026-11-23',
    // Our pages are drawn on a 750 px wide design; NutUI's styles are written for 375.
    designWidth(input) {
      if (input && input.file && input.file.replace(/\\+/g, '/').includes('@nutui/')) return 375;
      return 750;
    },
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {
      // Where the H5 build finds the API: same origin unless the build says otherwise.
      API_BASE: JSON.stringify(process.env.MEMBER_API_BASE || (process.env.TARO_ENV === 'h5' ? '' : 'http://localhost:3000')),
    },
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      // Workspace packages are compiled from their TypeScript sources, like the app's own files.
      '@chaincard/shared': path.join(shared, 'index.ts'),
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [shared] },
      miniCssExtractPluginOption: cssExtract,
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile: { include: [shared] },
      miniCssExtractPluginOption: cssExtract,
      // Served by the API at /member/ (npm start); the hash router keeps every screen under it.
      publicPath: '/member/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return base;
};
