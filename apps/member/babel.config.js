// babel-preset-taro compiles React for every platform; babel-plugin-import loads each NutUI
// component with its own CSS so a page carries only the widgets it uses (the weapp main package
// must stay under WeChat's 2 MB).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        camel2DashComponentName: false,
        customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
        style: (name) => `${name}/style/css`,
      },
      'nutui-react-taro',
    ],
  ],
};
