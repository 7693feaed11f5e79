// The main package holds only the tab pages (WeChat caps it at 2 MB); every other screen lives in
// a subpackage of its domain and is downloaded when first opened.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/mall/index', 'pages/mine/index'],
  subPackages: [
    { root: 'account', pages: ['login/index'] },
    { root: 'wallet', pages: ['balance/index', 'points/index'] },
    { root: 'benefits', pages: ['coupons/index', 'count-cards/index'] },
    { root: 'mall', pages: ['redemptions/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#fff',
    navigationBarTitleText: '会员中心',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#666666',
    selectedColor: '#c2410c',
    backgroundColor: '#ffffff',
    list: [
      { pagePath: 'pages/home/index', text: '会员卡' },
      { pagePath: 'pages/mall/index', text: '积分商城' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
});
