/// <reference types="@tarojs/taro" />
declare const API_BASE: string;
declare namespace NodeJS {
  interface ProcessEnv { TARO_ENV: 'weapp' | 'h5' | string }
}
declare module '*.css';
